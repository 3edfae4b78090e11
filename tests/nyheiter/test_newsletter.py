"""The newsletter: double opt-in, the digest (only confirmed, only new news, each in its
standard, once), one-click unsubscribe (RFC 8058), the admin and the retention rules."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nyheiter import links, tasks
from nyheiter.models import Delivery, Digest, NewsIndexPage, Subscriber
from portal import retention
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

FORM = {"nb": "/nb/nyheter/nyhendebrev/", "nn": "/nn/nyheiter/nyhendebrev/"}
LINK = re.compile(r"http://[^\s]+/nyhendebrev/(stadfest|avmeld)/[\w-]+/")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(standard="nb", **data):
        fields = {"email": "kari@example.no", "language": standard, "website": ""} | data
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM[standard], fields)

    return send


def links_in(message):
    return [m.group(0) for m in LINK.finditer(message.body)]


def path_of(url):
    return re.sub(r"^http://[^/]+", "", url)


def subscriber(email, language="nb", state=Subscriber.State.CONFIRMED, **fields):
    return Subscriber.objects.create(email=email, language=language, state=state, **fields)


# Opt-in


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_subscribe_form_renders_in_both_standards_with_the_standard_chosen(client, language):
    response = client.get(FORM[language])
    assert response.status_code == 200
    assert f'lang="{language}"' in response.text
    assert re.search(rf'value="{language}"[^>]*checked', response.text)
    assert 'name="website"' in response.text  # the honeypot


def test_news_index_links_to_the_subscribe_form(client):
    assert 'href="/nb/nyheter/nyhendebrev/"' in client.get("/nb/nyheter/").text


def test_invalid_address_is_refused_with_an_error_summary_in_the_visitors_standard(client, post):
    response = post("nn", email="ikkje-ei-adresse")
    assert response.status_code == 200
    assert "ds-error-summary" in response.text
    assert 'href="#id_email"' in response.text
    assert "Skriv inn ei e-postadresse som namn@example.no." in response.text
    assert re.search(r"<title>\s*Feil:", response.text)
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_subscribing_stores_a_pending_address_and_sends_only_the_confirmation(client, post):
    response = post("nn")
    assert response.status_code == 302
    assert response["Location"] == "/nn/nyheiter/nyhendebrev/takk/"
    stored = Subscriber.objects.get()
    assert (stored.email, stored.language, stored.state) == ("kari@example.no", "nn", "pending")
    (message,) = mail.outbox
    assert message.to == ["kari@example.no"]
    assert "nyheitsbrev" in message.subject.lower()
    assert [path_of(url).split("/")[:5] for url in links_in(message)] == [
        ["", "nn", "nyheiter", "nyhendebrev", "stadfest"]
    ]
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "kari@example.no" in thanks.text


def test_the_standard_of_the_newsletter_is_the_one_chosen_not_the_pages(post):
    post("nb", language="nn")
    assert Subscriber.objects.get().language == "nn"
    assert "/nn/nyheiter/" in mail.outbox[0].body


def test_the_confirmation_link_asks_first_and_confirms_on_the_button(client, post):
    post()
    (url,) = links_in(mail.outbox[0])
    page = client.get(path_of(url))
    assert page.status_code == 200
    assert Subscriber.objects.get().state == "pending"  # a mail scanner's GET confirms nothing
    response = client.post(path_of(url))
    assert response.status_code == 302
    stored = Subscriber.objects.get()
    assert stored.state == "confirmed" and stored.confirmed_at is not None
    assert "Du abonnerer" in client.get(path_of(url)).text


def test_a_forged_or_expired_confirmation_link_does_not_confirm(client, post):
    post()
    (url,) = links_in(mail.outbox[0])
    forged = path_of(url)[:-3] + "xx/"
    assert client.post(forged).status_code == 404
    unsubscribe = (
        f"/nb/nyheter/nyhendebrev/stadfest/{links.token(Subscriber.objects.get(), 'unsubscribe')}/"
    )
    assert client.post(unsubscribe).status_code == 404
    later = timezone.now() + datetime.timedelta(days=links.pending_days(), hours=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: later.timestamp())
        assert client.post(path_of(url)).status_code == 404
    assert Subscriber.objects.get().state == "pending"


def test_subscribing_a_confirmed_address_looks_the_same_and_sends_nothing(client, post):
    subscriber("kari@example.no", "nb")
    response = post(email="KARI@example.no")
    assert response.status_code == 302
    assert response["Location"] == "/nb/nyheter/nyhendebrev/takk/"
    assert mail.outbox == []
    assert Subscriber.objects.get().state == "confirmed"


def test_subscribing_again_while_pending_sends_a_new_link_in_the_new_standard(post):
    post("nb")
    post("nn")
    assert Subscriber.objects.get().language == "nn"
    assert len(mail.outbox) == 2


@override_settings(NEWSLETTER_CONFIRMATION_LIMIT_PER_ADDRESS=(2, 86400))
def test_confirmation_emails_to_one_address_are_limited_but_the_answer_is_the_same(post):
    responses = [post(email=f"Kari@Example.no{'' if i % 2 else ' '}") for i in range(4)]
    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == 2


@override_settings(NEWSLETTER_SUBSCRIBE_RATE_LIMIT=(2, 3600))
def test_too_many_subscriptions_from_one_client_get_a_429_and_store_nothing_more(post):
    for i in range(2):
        assert post(email=f"a{i}@example.no").status_code == 302
    response = post(email="c@example.no")
    assert response.status_code == 429
    assert "For mange" in response.text
    assert Subscriber.objects.count() == 2


@override_settings(NEWSLETTER_SUBSCRIBE_RATE_LIMIT=(1, 3600))
def test_invalid_posts_do_not_count_against_the_limit(post):
    for _ in range(3):
        post(email="feil")
    assert post().status_code == 302


def test_honeypot_stores_and_sends_nothing_and_shows_the_form_again(post):
    response = post(website="http://spam.example")
    assert response.status_code == 200
    assert 'value="kari@example.no"' in response.text
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_the_form_pages_are_never_kept_in_the_page_cache(client):
    response = client.get(FORM["nb"])
    assert response["X-Cache"] == "skip"
    assert client.get(FORM["nb"])["X-Cache"] == "skip"


# The digest


@pytest.fixture
def last_digest(db):
    """A digest sent just now, so that only news published after it are new."""
    return Digest.objects.create(cutoff=timezone.now())


@pytest.fixture
def nn_index(nn):
    return NewsIndexPage.objects.get(locale=nn)


def publish(index, title):
    page = NewsPageFactory(parent=index, title=title, locale=index.locale)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def send_now(admin_client, django_capture_on_commit_callbacks):
    preview = admin_client.get("/admin/newsletter/send/")
    cutoff = re.search(r'name="cutoff" value="([^"]+)"', preview.text).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        return admin_client.post("/admin/newsletter/send/", {"cutoff": cutoff})


def test_digest_goes_to_confirmed_subscribers_only_with_only_new_news_in_their_standard(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index, nn_index
):
    old = publish(news_index, "Gammal nyhet")
    Digest.objects.filter(pk=last_digest.pk).update(cutoff=timezone.now())
    new_nb = publish(news_index, "Ny bokmålsnyhet")
    new_nn = publish(nn_index, "Ny nynorsknyheit")
    subscriber("bm@example.no", "nb")
    subscriber("nn@example.no", "nn")
    subscriber("venter@example.no", "nb", state=Subscriber.State.PENDING)
    subscriber("avmeldt@example.no", "nn", state=Subscriber.State.UNSUBSCRIBED)
    mail.outbox.clear()

    response = send_now(admin_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"bm@example.no", "nn@example.no"}
    nb_mail, nn_mail = by_address["bm@example.no"], by_address["nn@example.no"]
    assert new_nb.title in nb_mail.body and new_nn.title not in nb_mail.body
    assert new_nn.title in nn_mail.body and new_nb.title not in nn_mail.body
    assert old.title not in nb_mail.body
    assert new_nb.get_full_url() in nb_mail.body and new_nn.get_full_url() in nn_mail.body
    assert "nyheitsbrevet frå Kompetanseportalen" in nn_mail.body
    assert "nyhetsbrevet fra Kompetanseportalen" in nb_mail.body
    digest = Digest.objects.latest()
    assert set(digest.pages.all()) == {new_nb, new_nn}
    assert Delivery.objects.filter(digest=digest).count() == 2


def test_every_digest_has_an_unsubscribe_link_and_the_one_click_headers(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index
):
    publish(news_index, "Nytt om kurs")
    person = subscriber("bm@example.no", "nb")
    send_now(admin_client, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    headers = message.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = links.token(person, links.UNSUBSCRIBE)
    assert re.fullmatch(rf"<http://[^/]+/nyhendebrev/avmeld/{token}/>", headers["List-Unsubscribe"])
    assert f"/nb/nyheter/nyhendebrev/avmeld/{token}/" in message.body


def test_a_digest_is_sent_once_even_when_its_batch_runs_again(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index
):
    publish(news_index, "Nytt om kurs")
    people = [subscriber(f"p{i}@example.no") for i in range(3)]
    send_now(admin_client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    digest = Digest.objects.latest()
    tasks.send_digest_batch.call(digest.pk, [p.pk for p in people])
    tasks.send_digest.call(digest.pk)
    assert len(mail.outbox) == 3


def test_a_batch_that_fails_midway_sends_the_rest_on_retry_and_nobody_twice(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    publish(news_index, "Nytt om kurs")
    people = [subscriber(f"p{i}@example.no") for i in range(3)]
    original = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(messages[0].to[0])
        if len(calls) == 2:
            raise ConnectionRefusedError("mail server down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    send_now(admin_client, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == ["p0@example.no"]
    digest = Digest.objects.latest()
    assert Delivery.objects.filter(digest=digest).count() == 1
    # What the worker does after the delay (portal.mail): the same batch again.
    tasks.send_digest_batch.call(digest.pk, [p.pk for p in people])
    assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in people]


def test_subscribers_are_sent_in_batches(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index, monkeypatch
):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    publish(news_index, "Nytt om kurs")
    for i in range(5):
        subscriber(f"p{i}@example.no")
    batches = []
    batch_task = tasks.send_digest_batch

    class Recording:
        def enqueue(self, *args):
            batches.append(args)
            return batch_task.enqueue(*args)

    monkeypatch.setattr(tasks, "send_digest_batch", Recording())
    send_now(admin_client, django_capture_on_commit_callbacks)
    assert [len(ids) for _digest, ids in batches] == [2, 2, 1]
    assert len(mail.outbox) == 5


def test_nothing_new_sends_nothing(admin_client, django_capture_on_commit_callbacks, last_digest):
    subscriber("bm@example.no")
    preview = admin_client.get("/admin/newsletter/send/")
    assert 'name="cutoff"' not in preview.text
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/newsletter/send/", {"cutoff": timezone.now()})
    assert response.status_code == 302
    assert Digest.objects.count() == 1
    assert mail.outbox == []


def test_the_next_digest_holds_only_what_came_after_this_one(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index
):
    first = publish(news_index, "Første")
    subscriber("bm@example.no")
    send_now(admin_client, django_capture_on_commit_callbacks)
    second = publish(news_index, "Andre")
    send_now(admin_client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert first.title in mail.outbox[0].body
    assert second.title in mail.outbox[1].body and first.title not in mail.outbox[1].body


def test_the_preview_shows_each_standards_email_and_recipients(
    admin_client, last_digest, news_index, nn_index
):
    publish(news_index, "Ny bokmålsnyhet")
    publish(nn_index, "Ny nynorsknyheit")
    subscriber("bm@example.no")
    response = admin_client.get("/admin/newsletter/send/")
    assert response.status_code == 200
    assert "Ny bokmålsnyhet" in response.text and "Ny nynorsknyheit" in response.text
    assert "/nb/nyheter/nyhendebrev/avmeld/" in response.text
    assert "/nn/nyheiter/nyhendebrev/avmeld/" in response.text
    assert mail.outbox == []


def test_sending_needs_the_permission(client, last_digest, news_index):
    user = User.objects.create_user("redaktor", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/newsletter/send/").status_code in (302, 403)
    assert client.post(
        "/admin/newsletter/send/", {"cutoff": timezone.now().isoformat()}
    ).status_code in (302, 403)
    assert Digest.objects.count() == 1
    group = Group.objects.create(name="Nyhendebrev")
    group.permissions.add(Permission.objects.get(codename="send_digest"))
    user.groups.add(group)
    assert client.get("/admin/newsletter/send/").status_code == 200


# Unsubscribing


def test_one_click_post_unsubscribes_without_a_csrf_token_or_cookie(client):
    from django.test import Client

    person = subscriber("bm@example.no")
    strict = Client(enforce_csrf_checks=True)
    url = f"/nyhendebrev/avmeld/{links.token(person, links.UNSUBSCRIBE)}/"
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().state == "unsubscribed"
    assert response["X-Cache"] == "skip"


def test_one_click_needs_the_rfc_8058_body_and_a_valid_token(client):
    person = subscriber("bm@example.no")
    url = f"/nyhendebrev/avmeld/{links.token(person, links.UNSUBSCRIBE)}/"
    assert client.post(url, {}).status_code == 400
    assert client.post(url[:-3] + "xx/", {"List-Unsubscribe": "One-Click"}).status_code == 400
    confirm = f"/nyhendebrev/avmeld/{links.token(person, links.CONFIRM)}/"
    assert client.post(confirm, {"List-Unsubscribe": "One-Click"}).status_code == 400
    assert Subscriber.objects.get().state == "confirmed"


def test_one_click_get_leads_to_the_unsubscribe_page_of_the_subscribers_standard(client):
    person = subscriber("nn@example.no", "nn")
    token = links.token(person, links.UNSUBSCRIBE)
    response = client.get(f"/nyhendebrev/avmeld/{token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/nn/nyheiter/nyhendebrev/avmeld/{token}/"
    assert Subscriber.objects.get().state == "confirmed"


def test_the_unsubscribe_page_asks_and_the_button_unsubscribes(client):
    person = subscriber("nn@example.no", "nn")
    url = f"/nn/nyheiter/nyhendebrev/avmeld/{links.token(person, links.UNSUBSCRIBE)}/"
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.text
    assert Subscriber.objects.get().state == "confirmed"
    assert client.post(url).status_code == 302
    assert Subscriber.objects.get().state == "unsubscribed"
    assert "<form" not in client.get(url).text.partition("<main")[2].partition("</main>")[0]


def test_unsubscribed_addresses_get_no_digest(
    admin_client, django_capture_on_commit_callbacks, last_digest, news_index, client
):
    person = subscriber("bm@example.no")
    client.post(
        f"/nyhendebrev/avmeld/{links.token(person, links.UNSUBSCRIBE)}/",
        {"List-Unsubscribe": "One-Click"},
    )
    publish(news_index, "Nytt om kurs")
    send_now(admin_client, django_capture_on_commit_callbacks)
    assert mail.outbox == []


# Admin


def test_admin_lists_subscribers_with_state_in_constant_queries(admin_client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get("/admin/newsletter_subscribers/")
        assert response.status_code == 200
        return len(queries), response

    subscriber("a@example.no")
    count_queries()  # the first request of a session reads more
    few, response = count_queries()
    assert "a@example.no" in response.text
    for i in range(20):
        subscriber(f"p{i}@example.no", state=Subscriber.State.PENDING)
    many, _response = count_queries()
    assert many == few


def test_admin_exports_subscribers_and_neutralises_formulas(admin_client):
    subscriber("=cmd@example.no")
    response = admin_client.get("/admin/newsletter_subscribers/?export=csv")
    assert response.status_code == 200
    text = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "'=cmd@example.no" in text
    header, row = text.splitlines()[:2]
    assert header.lower().startswith("e-post,målform,status,")
    assert row.startswith("'=cmd@example.no,Norsk bokmål,bekreftet,")


def test_subscribers_cannot_be_added_by_hand(admin_client):
    assert admin_client.get("/admin/newsletter_subscribers/new/").status_code in (302, 403)


# Retention


def test_purge_deletes_unconfirmed_addresses_after_the_pending_days_and_anonymises_unsubscribed():
    now = timezone.now()
    old_pending = subscriber(
        "gammal@example.no",
        state=Subscriber.State.PENDING,
        created_at=now - datetime.timedelta(days=links.pending_days(), hours=1),
    )
    new_pending = subscriber("ny@example.no", state=Subscriber.State.PENDING)
    gone = subscriber(
        "borte@example.no",
        state=Subscriber.State.UNSUBSCRIBED,
        unsubscribed_at=now - datetime.timedelta(minutes=1),
    )
    kept = subscriber("bm@example.no")
    retention.purge(now)
    assert not Subscriber.objects.filter(pk=old_pending.pk).exists()
    assert Subscriber.objects.get(pk=new_pending.pk).email == "ny@example.no"
    gone.refresh_from_db()
    assert gone.email == "" and gone.anonymised_at is not None
    assert Subscriber.objects.get(pk=kept.pk).email == "bm@example.no"
    # An anonymised address can subscribe anew.
    Subscriber.objects.create(email="", language="nb")


def test_the_preview_reads_the_same_number_of_queries_however_many_news_and_digests(
    admin_client, last_digest, news_index
):
    def count_queries():
        admin_client.get("/admin/newsletter/send/")  # warm: chrome and site roots cached
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get("/admin/newsletter/send/")
        assert response.status_code == 200
        return len(queries)

    publish(news_index, "Nytt 0")
    few = count_queries()
    for i in range(1, 6):
        publish(news_index, f"Nytt {i}")
        Digest.objects.create(cutoff=last_digest.cutoff - datetime.timedelta(days=i))
    assert count_queries() == few


def test_the_token_pages_are_never_kept_in_the_page_cache(client):
    person = subscriber("bm@example.no")
    for route, purpose in (("stadfest", links.CONFIRM), ("avmeld", links.UNSUBSCRIBE)):
        Subscriber.objects.filter(pk=person.pk).update(state="pending")
        url = f"/nb/nyheter/nyhendebrev/{route}/{links.token(person, purpose)}/"
        assert client.get(url)["X-Cache"] == "skip"
        assert client.get(url)["X-Cache"] == "skip"
