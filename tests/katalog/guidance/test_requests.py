import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from katalog.guidance.forms import CONSENT_VERSION
from katalog.guidance.models import CentreAccess, CentrePage, GuidanceRequest
from katalog.guidance.services import SPAM_COUNTER, client_ip, route_request
from katalog.places.models import Municipality, Region
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db

FORM = {"nb": "/nb/veiledning/bestill/", "nn": "/nn/rettleiing/bestill/"}


def valid(**overrides):
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "phone": "",
        "municipality": "4614",
        "topic": "study",
        "contact_method": "email",
        "contact_time": "morning",
        "message": "Eg vil ta fagbrev.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(language="nb", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM[language], valid(**overrides))

    return post


@pytest.fixture
def new_municipality():
    return Municipality.objects.create(
        number="4699", name_nb="Nykommune", name_nn="Nykommune", region=Region.objects.first()
    )


# Routing


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_request_is_routed_to_the_centre_serving_the_municipality(language, request):
    locale = request.getfixturevalue(language)
    centre, fallback = route_request(Municipality.objects.get(number="4614"), locale)
    assert centre.slug == "studiesenteret-sunnhordland"
    assert centre.locale == locale
    assert fallback is False


def test_unserved_municipality_goes_to_the_fallback_centre(nb, new_municipality):
    centre, fallback = route_request(new_municipality, nb)
    assert centre.is_fallback
    assert centre.slug == "karriere-vestland-bergen"
    assert fallback is True


def test_fallback_is_configurable(nb, new_municipality):
    CentrePage.objects.update(is_fallback=False)
    other = CentrePage.objects.get(locale=nb, slug="opus-voss")
    CentrePage.objects.filter(translation_key=other.translation_key).update(is_fallback=True)
    centre, fallback = route_request(new_municipality, nb)
    assert (centre, fallback) == (other, True)


def test_posted_request_is_stored_routed_and_receipted(client, send):
    response = send()
    assert response.status_code == 302
    assert response["Location"] == "/nb/veiledning/bestill/kvittering/"
    stored = GuidanceRequest.objects.get()
    assert stored.centre.slug == "studiesenteret-sunnhordland"
    assert stored.language == "nb"
    assert stored.status == GuidanceRequest.Status.NEW
    assert stored.contact_time == "morning"
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Studiesenteret Sunnhordland" in receipt.text
    assert "kari@example.no" in receipt.text


def test_posted_request_from_unserved_municipality_reaches_fallback(send, new_municipality):
    send(municipality="4699")
    stored = GuidanceRequest.objects.get()
    assert stored.routed_to_fallback
    assert stored.centre.is_fallback


def test_receipt_without_a_request_leads_back_to_the_form(client):
    response = client.get("/nn/rettleiing/bestill/kvittering/")
    assert response.status_code == 302
    assert response["Location"] == "/nn/rettleiing/bestill/"


def test_form_preselects_the_municipality_from_the_finder(client):
    response = client.get("/nn/rettleiing/bestill/", {"municipality": "4640"})
    assert '<option value="4640" selected>Sogndal</option>' in response.text


# Email


@pytest.mark.parametrize(
    ("language", "subject", "sign_off", "other_standards_sign_off"),
    [
        (
            "nb",
            "Vi har mottatt bestillingen din av veiledning",
            "Med vennlig hilsen",
            "Med venleg helsing",
        ),
        (
            "nn",
            "Vi har fått bestillinga di av rettleiing",
            "Med venleg helsing",
            "Med vennlig hilsen",
        ),
    ],
)
def test_citizen_gets_a_receipt_in_their_standard(
    send, language, subject, sign_off, other_standards_sign_off
):
    send(language)
    receipts = [m for m in mail.outbox if m.to == ["kari@example.no"]]
    assert len(receipts) == 1
    assert receipts[0].subject == subject
    assert receipts[0].body.startswith("Hei,\n")
    assert sign_off in receipts[0].body
    assert other_standards_sign_off not in receipts[0].body
    assert "Studiesenteret Sunnhordland" in receipts[0].body


@override_settings(GUIDANCE_REQUEST_RETENTION_DAYS=60, GUIDANCE_REQUEST_OPEN_DAYS=120)
@pytest.mark.parametrize(
    ("language", "promise"),
    [
        ("nb", "slettes 60 dager etter at saken er avsluttet, eller 120 dager etter siste"),
        ("nn", "blir sletta 60 dagar etter at saka er avslutta, eller 120 dagar etter siste"),
    ],
)
def test_consent_says_when_data_is_deleted_and_is_stored_with_its_version(
    client, send, language, promise
):
    assert promise in client.get(FORM[language]).text
    before = timezone.now()
    send(language)
    stored = GuidanceRequest.objects.get()
    assert stored.consent_version == CONSENT_VERSION
    assert before <= stored.consented_at <= timezone.now()


def test_receipt_echoes_nothing_the_visitor_typed(send):
    send(name="Klikk https://evil.example", message="Vinn ein premie på https://evil.example")
    (receipt,) = [m for m in mail.outbox if m.to == ["kari@example.no"]]
    assert "Klikk" not in receipt.body
    assert "evil.example" not in receipt.body


def receipts_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(100, 3600))
@override_settings(GUIDANCE_RECEIPT_LIMIT_PER_ADDRESS=(2, 86400))
def test_one_address_gets_a_limited_number_of_receipts_but_every_request_is_kept(send, caplog):
    for n in range(4):
        assert send(email="Offer@Example.no", name=f"Sendar {n}").status_code == 302
    assert GuidanceRequest.objects.filter(email__iexact="offer@example.no").count() == 4
    assert len(receipts_to("Offer@Example.no")) == 2
    assert "the receipt limit is reached" in caplog.text
    assert "offer@example.no" not in caplog.text.lower()
    assert len(receipts_to("kari@example.no")) == 0
    send()
    assert len(receipts_to("kari@example.no")) == 1


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(100, 3600))
@override_settings(GUIDANCE_RECEIPT_LIMIT_PER_HOUR=3)
def test_receipts_per_hour_are_limited_overall(send):
    for n in range(5):
        send(email=f"person{n}@example.no")
    assert GuidanceRequest.objects.count() == 5
    assert sum(len(receipts_to(f"person{n}@example.no")) for n in range(5)) == 3


def test_no_receipt_email_without_an_email_address(send):
    send(email="", phone="55 55 55 55", contact_method="phone")
    assert GuidanceRequest.objects.get().phone == "55 55 55 55"
    assert [m.to for m in mail.outbox] == [["studiesenter.sunnhordland@example.no"]]


def test_centre_staff_are_notified_each_in_their_standard(send, django_user_model):
    from wagtail.users.models import UserProfile

    centre = CentrePage.objects.get(locale__language_code="nb", slug="studiesenteret-sunnhordland")
    nynorsk = django_user_model.objects.create_user("ola", "ola@example.no", "x")
    bokmal = django_user_model.objects.create_user("per", "per@example.no", "x")
    profile = UserProfile.get_for_user(nynorsk)
    profile.preferred_language = "nn"
    profile.save()
    CentreAccess.group_of(centre).user_set.add(nynorsk, bokmal)

    send("nb")
    notifications = {m.to[0]: m for m in mail.outbox if m.to != ["kari@example.no"]}
    assert set(notifications) == {"ola@example.no", "per@example.no"}
    assert notifications["ola@example.no"].subject.startswith("Ny bestilling av rettleiing")
    assert notifications["per@example.no"].subject.startswith("Ny bestilling av veiledning")
    # The personal details stay in the admin.
    assert "kari@example.no" not in notifications["per@example.no"].body
    assert "/admin/guidance_requests/edit/" in notifications["per@example.no"].body


def test_centre_without_staff_is_notified_at_its_address(send):
    send()
    notified = [m.to for m in mail.outbox if m.to != ["kari@example.no"]]
    assert notified == [["studiesenter.sunnhordland@example.no"]]


def test_emails_wait_for_the_commit(client):
    """Email goes out only once the request is committed (on_commit), never inside it."""
    client.post(FORM["nb"], valid())
    assert GuidanceRequest.objects.count() == 1
    assert mail.outbox == []


# Validation


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Skriv inn navnet ditt."),
        ({"email": "", "phone": ""}, "email", "Oppgi en e-postadresse eller et telefonnummer."),
        ({"email": "kari@"}, "email", "Skriv inn en e-postadresse som navn@example.no."),
        ({"phone": "12"}, "phone", "Skriv inn et telefonnummer som 55 55 55 55."),
        ({"municipality": ""}, "municipality", "Velg kommunen du bor i."),
        ({"municipality": "9999"}, "municipality", "Velg en kommune fra listen."),
        ({"topic": ""}, "topic", "Velg hva du vil ha veiledning om."),
        (
            {"contact_method": "phone"},
            "contact_method",
            "Oppgi et telefonnummer, eller velg e-post.",
        ),
        ({"consent": None}, "consent", "Gi samtykke, slik at vi kan lagre bestillingen din."),
    ],
)
def test_invalid_request_shows_errors_and_keeps_input(send, overrides, field, message):
    response = send(**overrides)
    assert response.status_code == 200
    assert GuidanceRequest.objects.count() == 0
    assert response.context["form"].errors[field] == [message]
    html = response.text
    assert 'class="ds-error-summary"' in html
    assert f'href="#id_{field}' in html
    assert message in html
    assert "Eg vil ta fagbrev." in html
    assert "<title>Feil:" in html


def test_nn_errors_are_in_nynorsk(send):
    response = send("nn", name="", email="", phone="")
    assert response.context["form"].errors["name"] == ["Skriv inn namnet ditt."]
    assert "Oppgi ei e-postadresse eller eit telefonnummer." in response.text


# Spam and abuse


def test_honeypot_stores_nothing_counts_and_keeps_the_input(send, caplog):
    with caplog.at_level(logging.WARNING, logger="katalog.guidance.services"):
        response = send(website="http://spam.example")
    assert response.status_code == 200
    assert GuidanceRequest.objects.count() == 0
    assert mail.outbox == []
    assert cache.get(SPAM_COUNTER) == 1
    assert "honeypot" in caplog.text
    assert "127.0.0.1" not in caplog.text
    assert "Eg vil ta fagbrev." in response.text
    assert "http://spam.example" not in response.text
    # A person whose browser filled the hidden field can send the form again as shown.
    assert send().status_code == 302
    assert GuidanceRequest.objects.count() == 1


def test_form_needs_a_csrf_token(nb):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(FORM["nb"], valid())
    assert response.status_code == 403
    assert GuidanceRequest.objects.count() == 0


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(3, 3600))
@pytest.mark.parametrize(
    ("language", "heading", "other_standards_heading"),
    [
        ("nb", "For mange bestillinger", "For mange bestillingar"),
        ("nn", "For mange bestillingar", "For mange bestillinger"),
    ],
)
def test_rate_limit_answers_429_and_stores_nothing(
    send, language, heading, other_standards_heading
):
    for _ in range(3):
        assert send(language).status_code == 302
    response = send(language, name="Fjerde")
    assert response.status_code == 429
    assert heading in response.text
    assert other_standards_heading not in response.text
    assert response.templates[0].name == "guidance/rate_limited.html"
    assert not GuidanceRequest.objects.filter(name="Fjerde").exists()
    assert GuidanceRequest.objects.count() == 3


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(1, 3600))
def test_posts_with_errors_do_not_count_against_the_limit(send):
    for _ in range(5):
        assert send(name="").status_code == 200
    assert send().status_code == 302
    assert send().status_code == 429


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(1, 3600))
def test_honeypot_posts_count_against_the_limit(send):
    send(website="spam")
    assert send(website="spam").status_code == 429
    assert cache.get(SPAM_COUNTER) == 1


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(1, 3600))
def test_rate_limit_is_per_client_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(FORM["nb"], valid(), REMOTE_ADDR="10.0.0.1").status_code == 302
        assert client.post(FORM["nb"], valid(), REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.post(FORM["nb"], valid(), REMOTE_ADDR="10.0.0.2").status_code == 302


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(1, 3600))
def test_ipv6_clients_are_limited_per_64(client):
    def post(address):
        return client.post(FORM["nb"], valid(), REMOTE_ADDR=address).status_code

    assert post("2001:db8:1:2::1") == 302
    assert post("2001:db8:1:2:ffff:ffff:ffff:fffe") == 429
    assert post("2001:db8:1:3::1") == 302
    assert post("::ffff:192.0.2.7") == 302
    assert post("192.0.2.7") == 429


@override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(1, 3600))
def test_spoofed_forwarded_for_does_not_escape_the_limit(client):
    client.post(FORM["nb"], valid(), HTTP_X_FORWARDED_FOR="1.1.1.1")
    response = client.post(FORM["nb"], valid(), HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert response.status_code == 429


def test_client_ip_trusts_forwarded_for_only_as_configured(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.7"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "6.6.6.6"
    with override_settings(TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == "10.0.0.1"


def test_factory_centre_can_receive_requests(nb):
    municipality = Municipality.objects.create(
        number="4698", name_nb="Prøve", name_nn="Prøve", region=Region.objects.first()
    )
    centre = CentrePageFactory(municipalities=[municipality])
    assert route_request(municipality, nb) == (centre, False)


def test_without_any_centre_the_network_hears_of_the_request(send, new_municipality, client):
    CentrePage.objects.update(is_fallback=False)
    response = send(municipality="4699")
    stored = GuidanceRequest.objects.get()
    assert stored.centre is None and stored.routed_to_fallback
    notified = [m for m in mail.outbox if m.to == ["kompetanse@example.no"]]
    assert len(notified) == 1
    assert "ingen sentre kunne ta den" in notified[0].body
    receipt = client.get(response["Location"])
    assert "Kompetanseportalen har mottatt bestillingen din" in receipt.text


def test_receipt_is_shown_only_to_the_sender(send, client):
    from django.test import Client

    send()
    assert client.get("/nb/veiledning/bestill/kvittering/").status_code == 200
    stranger = Client().get("/nb/veiledning/bestill/kvittering/")
    assert stranger.status_code == 302


@pytest.mark.parametrize(
    ("number", "topic", "slug"),
    [
        ("4651", "study", "studiesenteret-nordfjord"),  # Stryn: two centres, one for studies
        ("4651", "career", "karriere-vestland-forde"),
        ("4651", "other", "karriere-vestland-forde"),  # no service asked: the first by title
        ("4601", "study", "opus-bergen"),  # Bergen: only OPUS offers study guidance
        ("4601", "career", "karriere-vestland-bergen"),
        ("4640", "prior_learning", "karriere-og-studiesenteret-sogn"),  # none offers it: serving
    ],
)
def test_routing_prefers_a_serving_centre_that_offers_the_topic(nn, number, topic, slug):
    centre, fallback = route_request(Municipality.objects.get(number=number), nn, topic)
    assert (centre.slug, fallback) == (slug, False)


def test_posted_study_request_goes_to_the_study_centre(send):
    send(municipality="4651", topic="study")
    assert GuidanceRequest.objects.get().centre.slug == "studiesenteret-nordfjord"


def test_language_switcher_keeps_the_form_and_the_municipality(client):
    response = client.get("/nb/veiledning/bestill/", {"municipality": "4640"})
    assert 'href="/nn/rettleiing/bestill/?municipality=4640" hreflang="nn"' in response.text
    assert 'hreflang="nn" href="http://testserver/nn/rettleiing/bestill/?municipality=4640"' in (
        response.text
    )
