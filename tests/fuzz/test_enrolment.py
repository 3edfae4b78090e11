"""Enrolment on a course session: the form (GET and POST, with the honeypot), its outcome, the
link to resend, and the manage page of the signed link.

A valid enrolment (drawn valid by construction, with an address no one has used) must be
answered with the outcome and stored once, with the values sent; the same address again must
store nothing more; an invalid one (one thing wrong by construction) must store nothing and name
that field in the error summary; a session that is closed takes nothing; a merely hostile post
must store one enrolment or none.
"""

import itertools
import uuid
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from katalog.courses.models import CourseSession, Enrolment, EnrolmentState
from katalog.courses.services import availability
from tests.fuzz.strategies import (
    ANY_CHAR,
    BLANK,
    CONSENT_GIVEN,
    CONSENT_REFUSED,
    EMAIL,
    EMAIL_REFUSED,
    MESSAGE,
    NAME,
    NAME_REFUSED,
    PHONE,
    PHONE_REFUSED,
    RAW_QUERY,
    hostile_text,
    one_of_except,
    query,
    repeated_pairs,
)
from tests.fuzz.surface import refused_fields

pytestmark = [
    pytest.mark.django_db,
    # A failing example with a 40 000-character value is reported anyway, if slowly.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

# Raised so that valid posts are never refused; the limit itself has tests of its own.
NO_RATE_LIMIT = override_settings(ENROLMENT_RATE_LIMIT=(10**9, 3600))
SPAM_NOTICE = 'data-color="warning" role="status"'
FIELDS = ("name", "email", "phone", "employer", "employer_other", "job_title")
FIELDS += ("manager_email", "special_needs", "consent", "website")
# Each valid example enrols an address of its own: the same one twice is a case of its own.
ADDRESSES = itertools.count()


def unique(email):
    local, _at, domain = email.strip().rpartition("@")
    return f"fuzz{next(ADDRESSES)}.{local}@{domain}"


def form_url(session):
    return f"{session.page.url}pamelding/{session.translation_key}/"


@pytest.fixture
def sessions(db):
    """Upcoming sessions of both standards by what they take: open or full (the waiting list)
    ones take enrolments, closed or cancelled ones take none."""
    found = {"open": [], "closed": []}
    upcoming = CourseSession.objects.filter(start__gte=timezone.now()).select_related("page")
    for session in upcoming.order_by("pk"):
        state = availability(session)
        found["open" if state in ("open", "full") else "closed"].append(session)
    assert found["open"] and found["closed"]
    return found


VALID = ["valid, municipality", "valid, other employer", "valid, twice"]
MISTAKES = ["missing", "name", "email", "phone", "no employer", "both employers"]
MISTAKES += ["municipality", "manager email", "no manager", "consent", "honeypot", "closed"]


def draw_submission(data, numbers, case, manager_required):
    """(fields, refused field or None, spam): fields map a name to the value that counts."""
    municipality = case != "valid, other employer" and data.draw(st.booleans(), label="employer")
    fields = {
        "name": data.draw(NAME, label="name"),
        "email": unique(data.draw(EMAIL, label="email")),
        "phone": data.draw(st.one_of(st.none(), st.just(""), PHONE), label="phone"),
        "employer": data.draw(st.sampled_from(numbers)) if municipality else None,
        "employer_other": None if municipality else data.draw(NAME, label="employer"),
        "job_title": data.draw(st.one_of(st.none(), NAME), label="job title"),
        "manager_email": data.draw(EMAIL) if manager_required else data.draw(st.none() | EMAIL),
        "special_needs": data.draw(MESSAGE, label="special needs"),
        "consent": data.draw(CONSENT_GIVEN, label="consent"),
        "website": data.draw(st.sampled_from([None, ""]), label="honeypot"),
    }
    if case in VALID or case == "closed":
        return fields, None, False
    if case == "missing":
        name = data.draw(st.sampled_from(["name", "email", "consent"]), label="missing field")
        fields[name] = None
        return fields, name, False
    if case in ("name", "email", "phone"):
        refused = {"name": NAME_REFUSED, "email": EMAIL_REFUSED, "phone": PHONE_REFUSED}[case]
        fields[case] = data.draw(refused, label=f"refused {case}")
        return fields, case, False
    if case == "no employer":
        fields["employer"] = data.draw(st.sampled_from([None, ""]))
        fields["employer_other"] = data.draw(st.one_of(st.none(), BLANK))
        return fields, "employer", False
    if case == "both employers":
        fields["employer"] = data.draw(st.sampled_from(numbers))
        fields["employer_other"] = data.draw(NAME, label="employer")
        return fields, "employer_other", False
    if case == "municipality":
        fields["employer"] = data.draw(one_of_except(hostile_text(), ["", *numbers]))
        return fields, "employer", False
    if case == "manager email":
        fields["manager_email"] = data.draw(EMAIL_REFUSED, label="refused manager email")
        return fields, "manager_email", False
    if case == "no manager":
        fields["manager_email"] = data.draw(st.one_of(st.none(), BLANK))
        return fields, "manager_email", False
    if case == "consent":
        fields["consent"] = data.draw(CONSENT_REFUSED, label="refused consent")
        return fields, "consent", False
    assert case == "honeypot"
    fields["website"] = data.draw(
        st.one_of(st.text(ANY_CHAR, min_size=1, max_size=20), st.sampled_from([" ", "0"]))
    )
    return fields, None, True


def expected_row(fields, language):
    def stripped(name):
        return (fields[name] or "").strip()

    return {
        "language": language,
        "name": stripped("name"),
        "email": stripped("email").lower(),
        "phone": stripped("phone"),
        "employer__number": fields["employer"] or None,
        "employer_other": stripped("employer_other"),
        "job_title": stripped("job_title"),
        "manager_email": stripped("manager_email"),
        "special_needs": stripped("special_needs"),
    }


@pytest.mark.parametrize("case", [*VALID, *MISTAKES])
@given(data=st.data())
def test_valid_enrolments_are_stored_once_and_invalid_ones_never(
    surface, sessions, numbers, failed_tasks, django_capture_on_commit_callbacks, case, data
):
    surface.fresh_visitor()
    mail.outbox = []
    pool = sessions["closed" if case == "closed" else "open"]
    if case == "no manager":
        pool = [s for s in pool if s.page.specific.manager_approval_required]
    session = data.draw(st.sampled_from(pool), label="session")
    manager_required = session.page.specific.manager_approval_required
    fields, refused, spam = draw_submission(data, numbers, case, manager_required)
    pairs = repeated_pairs(data, fields)
    multipart = data.draw(st.booleans(), label="multipart")
    valid = refused is None and not spam and case != "closed"
    before = set(Enrolment.objects.values_list("pk", flat=True))

    def post(pairs, kind):
        with NO_RATE_LIMIT, django_capture_on_commit_callbacks(execute=True):
            return surface.post_pairs(
                form_url(session), pairs, multipart=multipart, endpoint="enrolment", kind=kind
            )

    response = post(pairs, "valid" if valid else "invalid")
    new = Enrolment.objects.exclude(pk__in=before)
    if not valid:
        assert response.status_code == 200
        assert not new.exists()
        assert mail.outbox == []
        if case == "closed":
            assert "courses/enrolment_closed.html" in [t.name for t in response.templates]
        elif spam:
            assert SPAM_NOTICE in response.text
            assert refused_fields(response) == set()
        else:
            assert refused_fields(response) == {refused}
        return

    assert response.status_code == 302, refused_fields(response)
    assert response["Location"] == f"{form_url(session)}resultat/"
    expected = expected_row(fields, session.locale.language_code)
    assert new.values(*expected).get() == expected
    assert new.get().session.translation_key == session.translation_key
    assert failed_tasks == []
    # The participant, and the line manager where the seat waits for their approval.
    recipients = [[expected["email"]]]
    if new.get().state == EnrolmentState.AWAITING_APPROVAL:
        recipients.append([expected["manager_email"]])
    assert sorted(message.to for message in mail.outbox) == sorted(recipients)
    outcome = surface.get(response["Location"], endpoint="enrolment outcome", kind="valid")
    assert outcome.status_code == 200

    if case == "valid, twice":
        # The same address again, in capitals (æøå too, which SQLite's lower() leaves): it holds
        # a place already.
        again = [(n, v.upper() if n == "email" else v) for n, v in pairs]
        response = post(again, "invalid")
        assert response.status_code == 200
        assert "courses/enrolment_exists.html" in [t.name for t in response.templates]
        assert Enrolment.objects.exclude(pk__in=before).count() == 1


FIELD_OR_JUNK = st.one_of(st.sampled_from(FIELDS), hostile_text())


@given(data=st.data())
def test_hostile_enrolment_posts_store_one_enrolment_or_none(surface, sessions, numbers, data):
    surface.fresh_visitor()
    session = data.draw(st.sampled_from(sessions["open"] + sessions["closed"]), label="session")
    value = st.one_of(st.sampled_from(["", "on", *numbers[:3]]), hostile_text())
    pairs = data.draw(st.lists(st.tuples(FIELD_OR_JUNK, value), max_size=12), label="pairs")
    before = Enrolment.objects.count()
    with NO_RATE_LIMIT:
        if data.draw(st.booleans(), label="raw body"):
            response = surface.post(
                form_url(session),
                data.draw(RAW_QUERY, label="body"),
                content_type="application/x-www-form-urlencoded",
                endpoint="enrolment",
                kind="hostile",
            )
        else:
            multipart = data.draw(st.booleans(), label="multipart")
            response = surface.post_pairs(
                form_url(session), pairs, multipart=multipart, endpoint="enrolment", kind="hostile"
            )
    stored = Enrolment.objects.count() - before
    assert response.status_code in (200, 302, 400)
    assert stored == (1 if response.status_code == 302 else 0)


@given(data=st.data())
def test_enrolment_pages_answer_any_key_token_and_query(surface, sessions, data):
    """The form, its outcome and resend routes for any session key (a UUID or not), and the
    manage page for any token: a page, a redirect or a 404, never an error."""
    surface.fresh_visitor()
    session = data.draw(st.sampled_from(sessions["open"] + sessions["closed"]), label="session")
    course = session.page.url
    qs = query(data.draw(st.lists(st.tuples(hostile_text(), hostile_text()), max_size=3)))
    form = surface.get(f"{form_url(session)}?{qs}", endpoint="enrolment")
    assert form.status_code == 200
    outcome = surface.get(f"{form_url(session)}resultat/?{qs}", endpoint="enrolment outcome")
    # Without an enrolment in the session the outcome leads back to the form.
    assert (outcome.status_code, outcome["Location"]) == (302, form_url(session))
    resend = surface.post(
        f"{form_url(session)}send-lenke/", {}, endpoint="enrolment resend", kind="hostile"
    )
    assert (resend.status_code, resend["Location"]) == (302, form_url(session))

    short = hostile_text(max_size=40).filter(lambda value: len(value) < 1000)
    key = data.draw(st.one_of(st.uuids().map(str), short), label="key")
    unknown = surface.get(f"{course}pamelding/{quote(key, safe='')}/", endpoint="enrolment")
    assert unknown.status_code in (301, 302, 404)
    token = data.draw(
        st.one_of(
            short,
            st.builds(
                lambda pk, sig: f"{pk}-{sig}",
                st.integers(0, 10**30),
                st.text("abcXYZ-_019", max_size=30),
            ),
            st.builds(lambda: f"1-{uuid.uuid4().hex}"),
        ),
        label="token",
    )
    manage_url = f"{course}pamelding/endre/{quote(token, safe='')}/"
    manage = surface.get(manage_url, endpoint="enrolment manage")
    assert manage.status_code in (301, 302, 404)
    cancel = surface.post(manage_url, {}, endpoint="enrolment manage", kind="hostile")
    assert cancel.status_code in (301, 302, 404)
