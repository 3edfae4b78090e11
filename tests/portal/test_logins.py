"""Staff logins: password length, the lockout on the Wagtail login and on password-protected
pages, what the lockout keeps and for how long, and the length of a staff session."""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.users.models import UserProfile

from portal import retention
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
RIGHT = "riktig-passord-1"
WORKING_DAY = 8 * 60 * 60
ATTACKER = "203.0.113.7"


@pytest.fixture
def kari(django_user_model):
    user = django_user_model.objects.create_user("kari", "kari@example.no", RIGHT)
    user.is_superuser = True
    user.save()
    return user


def log_in(client, password, username="kari", address=ATTACKER, **headers):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, times, **kwargs):
    return [log_in(client, "feil-passord", **kwargs).status_code for _ in range(times)]


def test_default_limit_and_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 1


# Passwords


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Passordet er for kort. Det må bestå av minst 12 tegn."),
        ("nn", "Dette passordet er for stutt. Det må innehalde minst 12 teikn."),
    ],
)
def test_admin_refuses_a_password_under_12_characters_in_the_editors_standard(
    admin_client, admin_user, django_user_model, language, message
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language
    profile.save()

    def create(password):
        return admin_client.post(
            "/admin/users/new/",
            {
                "username": "ola",
                "email": "ola@example.no",
                "first_name": "Ola",
                "last_name": "Nordmann",
                "password1": password,
                "password2": password,
            },
        )

    response = create("Fjordbris-7")  # 11 characters
    assert response.status_code == 200
    assert message in response.text
    assert not django_user_model.objects.filter(username="ola").exists()

    response = create("Fjordbris-77")  # 12 characters
    assert response.status_code == 302
    assert django_user_model.objects.get(username="ola").check_password("Fjordbris-77")


def test_ensure_admin_generates_a_password_the_validators_accept(monkeypatch, client):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    assert len(password) >= 12
    validate_password(password)  # raises if any validator refuses it
    assert log_in(client, password, username="admin").status_code == 302


def test_ensure_admin_refuses_a_short_admin_password(monkeypatch, django_user_model):
    monkeypatch.setenv("ADMIN_PASSWORD", "Fjordbris-7")
    with pytest.raises(CommandError, match="ADMIN_PASSWORD: .*12"):
        call_command("ensure_admin", stdout=io.StringIO())
    assert not django_user_model.objects.filter(username="admin").exists()


# The lockout on the Wagtail login


def test_wagtail_login_locks_out_at_the_limit_even_with_the_right_password(kari, client):
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)
    locked = log_in(client, "feil-passord")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "3600"
    assert "For mange forsøk" in locked.text

    right = log_in(client, RIGHT)
    assert right.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_right_password_before_the_limit_logs_in_and_starts_the_count_again(kari, client):
    fail(client, LIMIT - 1)
    assert log_in(client, RIGHT).status_code == 302
    client.post("/admin/logout/")
    # Without the reset these would reach the limit.
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)
    assert log_in(client, RIGHT).status_code == 302


def test_an_attacker_locks_out_only_their_own_address(kari, client):
    fail(client, LIMIT)
    assert log_in(client, "feil-passord").status_code == 429
    assert log_in(client, RIGHT, address="198.51.100.2").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_lockout_counts_the_address_the_trusted_proxy_saw(kari, client):
    # Whatever the client puts in front of the proxy's entry, and the proxy's own address, which
    # every client shares, are not what is counted.
    statuses = [
        log_in(
            client,
            "feil-passord",
            address="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {ATTACKER}",
        ).status_code
        for attempt in range(LIMIT)
    ]
    assert statuses == [200] * (LIMIT - 1) + [429]
    colleague = log_in(client, RIGHT, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert colleague.status_code == 302


def test_an_ipv6_client_is_counted_by_its_64(kari, client):
    statuses = [
        log_in(client, "feil-passord", address=f"2001:db8:1:2::{attempt + 1:x}").status_code
        for attempt in range(LIMIT)
    ]
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert log_in(client, RIGHT, address="2001:db8:1:2:ffff::1").status_code == 429
    assert log_in(client, RIGHT, address="2001:db8:1:3::1").status_code == 302


@pytest.mark.parametrize(
    ("accept_language", "language", "paused", "staff_hint"),
    [
        ("nb-NO,nb;q=0.9", "nb", "stanset nye forsøk fra nettverket ditt", "Glemt passordet?"),
        ("nn-NO,nn;q=0.9", "nn", "stansa nye forsøk frå nettverket ditt", "Gløymt passordet?"),
    ],
)
def test_lockout_page_speaks_the_visitors_standard_and_says_when_to_try_again(
    kari, client, accept_language, language, paused, staff_hint
):
    fail(client, LIMIT - 1, HTTP_ACCEPT_LANGUAGE=accept_language)
    before = timezone.localtime() + datetime.timedelta(hours=1)
    response = log_in(client, "feil-passord", HTTP_ACCEPT_LANGUAGE=accept_language)
    after = timezone.localtime() + datetime.timedelta(hours=1)
    assert response.status_code == 429
    assert f'<html lang="{language}"' in response.text
    other = {"nb": "nn", "nn": "nb"}[language]
    assert f'<a class="ds-link" href="/{other}/" hreflang="{other}"' in response.text
    assert paused in response.text
    assert staff_hint in response.text
    assert 'href="/admin/password_reset/"' in response.text
    times = {f"etter kl. {moment:%H.%M}." for moment in (before, after)}
    assert any(time in response.text for time in times), times


def test_lockout_keeps_no_log_of_logins_and_no_address_in_the_log(kari, client, caplog):
    assert log_in(client, RIGHT).status_code == 302
    client.post("/admin/logout/")
    fail(client, 1, HTTP_USER_AGENT="Testlesar/1.0")
    assert AccessLog.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0
    (attempt,) = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "kari",
        ATTACKER,
        1,
    )
    assert "feil-passord" not in attempt.post_data
    assert "AXES: New login failure" in caplog.text
    for personal in (ATTACKER, "kari", "Testlesar"):
        assert personal not in caplog.text


def test_django_admin_is_not_there(admin_client):
    for path in ("/django-admin/", "/django-admin/login/"):
        assert admin_client.get(path, follow=True).status_code == 404


# Password-protected pages


@pytest.fixture
def protected(home):
    page = StandardPageFactory(parent=home, slug="for-deltakarar", title="For deltakarar")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemmeleg-ord"
    )
    return page, restriction


def page_password(client, protected, password, address=ATTACKER):
    page, restriction = protected
    return client.post(
        f"/nb/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": password, "return_url": page.url},
        REMOTE_ADDR=address,
    )


def test_the_page_form_posts_to_the_guarded_view(client, protected):
    page, restriction = protected
    response = client.get(page.url)
    assert f'action="/nb/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"' in (
        response.text
    )


def test_wrong_page_passwords_lock_out_even_the_right_one(client, protected, kari):
    page, _restriction = protected
    statuses = [page_password(client, protected, "gjetting").status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]

    locked = page_password(client, protected, "hemmeleg-ord")
    assert locked.status_code == 429
    assert "spørre den som ga deg tilgang til siden" in locked.text
    assert "For deltakarar" not in client.get(page.url).text
    # The page's counter is its own: the staff login from the same address still works.
    assert log_in(client, RIGHT).status_code == 302


def test_the_right_page_password_before_the_limit_lets_you_in(client, protected):
    page, _restriction = protected
    for _ in range(LIMIT - 1):
        assert page_password(client, protected, "gjetting").status_code == 200
    response = page_password(client, protected, "hemmeleg-ord")
    assert response.status_code == 302
    assert response["Location"] == page.url
    assert "For deltakarar" in client.get(page.url).text


def test_a_page_that_does_not_exist_counts_nothing(client, protected):
    page, restriction = protected
    response = client.post(
        f"/nb/_util/authenticate_with_password/{restriction.pk + 1000}/{page.pk}/",
        {"password": "gjetting", "return_url": "/nb/"},
    )
    assert response.status_code == 404
    assert AccessAttempt.objects.count() == 0


# Retention


def test_axes_tables_have_retention_rules():
    ruled = {rule.model for rule in retention.RULES}
    assert {"axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"} <= ruled


def test_purge_deletes_failed_logins_once_past_the_cool_off(kari, client):
    fail(client, 2)
    fail(client, 1, username="ola", address="198.51.100.2")
    AccessAttempt.objects.filter(username="kari").update(
        attempt_time=timezone.now() - datetime.timedelta(hours=1, minutes=1)
    )
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "axes.AccessAttempt: 1 deleted" in out.getvalue()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["ola"]


# Sessions


def session_expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_remembered_staff_session_lasts_a_working_day_and_every_request_renews_it(kari, client):
    response = client.post("/admin/login/", {"username": "kari", "password": RIGHT, "remember": 1})
    assert response.status_code == 302
    assert int(response.cookies["sessionid"]["max-age"]) == WORKING_DAY

    # Seven hours later: one hour left, until the next request renews the working day.
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert int(response.cookies["sessionid"]["max-age"]) == WORKING_DAY
    left = session_expiry(client) - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < left <= datetime.timedelta(hours=8)


def test_a_browser_session_also_ends_after_a_working_day_without_requests(kari, client):
    response = client.post("/admin/login/", {"username": "kari", "password": RIGHT})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == ""  # ends with the browser, or …
    left = session_expiry(client) - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < left <= datetime.timedelta(hours=8)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/admin/").status_code == 302  # … after 8 hours without a request
