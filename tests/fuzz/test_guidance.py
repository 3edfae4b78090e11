"""The guidance door: the finder, the request form (GET and POST, with CSRF and the honeypot) and
the self-assessment.

A valid request (drawn valid by construction) must be answered with the receipt and stored once,
with the values sent; an invalid one (one thing wrong by construction) must store nothing and
name that one field in the error summary; a merely hostile post must do one or the other.
"""

import re
import string
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from katalog.guidance.models import GuidanceRequest, SelfAssessmentPage
from tests.fuzz.strategies import (
    ANY_CHAR,
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
    padded,
    query,
    repeated_pairs,
)
from tests.fuzz.surface import Surface, refused_fields

pytestmark = [
    pytest.mark.django_db,
    # A failing example with a 40 000-character value is reported anyway, if slowly.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

GUIDANCE = {"nb": "/nb/veiledning/", "nn": "/nn/rettleiing/"}
FORM = {language: f"{path}bestill/" for language, path in GUIDANCE.items()}
RECEIPT = {language: f"{path}kvittering/" for language, path in FORM.items()}
SELF_ASSESSMENT = {language: f"{path}realkompetanse/" for language, path in GUIDANCE.items()}

SPAM_NOTICE = 'data-color="warning" role="status"'

TOPICS = list(GuidanceRequest.Topic.values)
METHODS = list(GuidanceRequest.ContactMethod.values)
TIMES = list(GuidanceRequest.ContactTime.values)
REQUIRED = ("name", "municipality", "topic", "contact_method", "contact_time", "consent")
FIELDS = (*REQUIRED, "email", "phone", "message", "website", "send_self_assessment")

# Raised so that valid posts are never refused; the limit itself has tests of its own.
NO_RATE_LIMIT = override_settings(GUIDANCE_REQUEST_RATE_LIMIT=(10**9, 3600))


@dataclass
class Submission:
    fields: dict  # name -> the value that counts (the last sent), or None when not sent
    refused: str | None = None  # the one field whose error the summary must link
    spam: bool = False

    @property
    def valid(self):
        return self.refused is None and not self.spam


CONTACTS = ["email", "phone", "both"]


def valid_submission(data, numbers, with_assessment, contact=None):
    """What a person could send, however odd; `contact` is what they give: email, phone or both."""
    contact = contact or data.draw(st.sampled_from(CONTACTS), label="contact")
    email = data.draw(EMAIL, label="email") if contact != "phone" else ""
    phone = data.draw(PHONE, label="phone") if contact != "email" else ""
    if contact == "both":
        method = data.draw(st.sampled_from(METHODS), label="method")
    else:
        method = contact
    fields = {
        "name": data.draw(NAME, label="name"),
        "email": email or data.draw(st.sampled_from([None, ""]), label="no email"),
        "phone": phone or data.draw(st.sampled_from([None, ""]), label="no phone"),
        "municipality": data.draw(st.sampled_from(numbers), label="municipality"),
        "topic": data.draw(st.sampled_from(TOPICS), label="topic"),
        "contact_method": method,
        "contact_time": data.draw(st.sampled_from(TIMES), label="time"),
        "message": data.draw(MESSAGE, label="message"),
        "consent": data.draw(CONSENT_GIVEN, label="consent"),
        "website": data.draw(st.sampled_from([None, ""]), label="honeypot"),
        "send_self_assessment": None,
    }
    if with_assessment:
        fields["send_self_assessment"] = data.draw(
            st.sampled_from([None, "", "on", "false"]), label="send self-assessment"
        )
    return Submission(fields)


MISTAKES = [
    "missing",
    "name",
    "email",
    "phone",
    "no contact",
    "municipality",
    "choice",
    "consent",
    "mismatch",
    "honeypot",
]


def submission_with(case, data, numbers, with_assessment):
    """A valid submission (case "valid, <contact>"), or one with exactly this one thing wrong and
    the field that must say so (a honeypot post is caught and shown again, with no error)."""
    valid = case.startswith("valid, ")
    submission = valid_submission(
        data, numbers, with_assessment, case.removeprefix("valid, ") if valid else None
    )
    fields = submission.fields
    mistake = None if valid else case
    if mistake == "missing":
        name = data.draw(st.sampled_from(REQUIRED), label="missing field")
        fields[name] = None
        submission.refused = name
    elif mistake == "name":
        fields["name"] = data.draw(NAME_REFUSED, label="refused name")
        submission.refused = "name"
    elif mistake in ("email", "phone"):
        # Alone, so that no other rule (the contact method's) has anything to say.
        other = "phone" if mistake == "email" else "email"
        fields[other] = data.draw(st.sampled_from([None, ""]))
        fields["contact_method"] = mistake
        refused = EMAIL_REFUSED if mistake == "email" else PHONE_REFUSED
        fields[mistake] = data.draw(refused, label=f"refused {mistake}")
        submission.refused = mistake
    elif mistake == "no contact":
        fields["email"], fields["phone"] = data.draw(
            st.tuples(st.sampled_from([None, "", " "]), st.sampled_from([None, "", "\t"]))
        )
        submission.refused = "email"
    elif mistake == "municipality":
        fields["municipality"] = data.draw(one_of_except(hostile_text(), ["", *numbers]))
        submission.refused = "municipality"
    elif mistake == "choice":
        name, allowed = data.draw(
            st.sampled_from(
                [("topic", TOPICS), ("contact_method", METHODS), ("contact_time", TIMES)]
            )
        )
        fields[name] = data.draw(one_of_except(hostile_text(), allowed), label=f"refused {name}")
        submission.refused = name
    elif mistake == "consent":
        fields["consent"] = data.draw(CONSENT_REFUSED, label="refused consent")
        submission.refused = "consent"
    elif mistake == "mismatch":
        # The contact chosen is the one not given.
        given_one = data.draw(st.sampled_from(["email", "phone"]))
        missing_one = "phone" if given_one == "email" else "email"
        fields[given_one] = data.draw(EMAIL if given_one == "email" else PHONE)
        fields[missing_one] = data.draw(st.sampled_from([None, ""]))
        fields["contact_method"] = missing_one
        submission.refused = "contact_method"
    elif mistake == "honeypot":
        # Anything truthy in the hidden field; a whitespace-only value is a bot too.
        fields["website"] = data.draw(
            st.one_of(st.text(ANY_CHAR, min_size=1, max_size=20), st.sampled_from([" ", "0"]))
        )
        submission.spam = True
    return submission


def post(surface, path, pairs, data, kind, files=None):
    multipart = data.draw(st.booleans(), label="multipart")
    return surface.post_pairs(
        path, pairs, multipart=multipart, endpoint="guidance request", kind=kind, files=files
    )


@pytest.fixture
def assessment_answers(db):
    page = SelfAssessmentPage.objects.filter(locale__language_code="nb").first()
    return [
        f"q{theme_index}_{index}"
        for theme_index, theme in enumerate(page.themes)
        for index, _question in enumerate(theme.value["questions"])
    ]


def fill_in_self_assessment(surface, language, names):
    response = surface.post(
        SELF_ASSESSMENT[language],
        dict.fromkeys(names, "3"),
        endpoint="self-assessment",
        kind="valid",
    )
    assert response.status_code == 200
    assert "guidance/self_assessment_summary.html" in [t.name for t in response.templates]


def expected_row(fields, language):
    def stripped(name):
        return (fields[name] or "").strip()

    return {
        "language": language,
        "name": stripped("name"),
        "email": stripped("email"),
        "phone": stripped("phone"),
        "municipality__number": fields["municipality"],
        "topic": fields["topic"],
        "contact_method": fields["contact_method"],
        "contact_time": fields["contact_time"],
        "message": stripped("message"),
        "centre__locale__language_code": language,
    }


@pytest.mark.parametrize("case", [*(f"valid, {contact}" for contact in CONTACTS), *MISTAKES])
@given(data=st.data())
def test_valid_requests_are_stored_once_and_invalid_ones_never(
    surface,
    numbers,
    assessment_answers,
    failed_tasks,
    django_capture_on_commit_callbacks,
    case,
    data,
):
    surface.fresh_visitor()
    mail.outbox = []
    language = data.draw(st.sampled_from(["nb", "nn"]), label="standard")
    with_assessment = data.draw(st.booleans(), label="self-assessment first")
    if with_assessment:
        fill_in_self_assessment(surface, language, assessment_answers)
    submission = submission_with(case, data, numbers, with_assessment)
    pairs = repeated_pairs(data, submission.fields)
    before = set(GuidanceRequest.objects.values_list("pk", flat=True))

    kind = "valid" if submission.valid else "invalid"
    with NO_RATE_LIMIT, django_capture_on_commit_callbacks(execute=True):
        response = post(surface, FORM[language], pairs, data, kind)

    new = GuidanceRequest.objects.exclude(pk__in=before)
    if not submission.valid:
        assert response.status_code == 200
        assert not new.exists()
        if submission.spam:
            assert SPAM_NOTICE in response.text
            assert refused_fields(response) == set()
        else:
            assert SPAM_NOTICE not in response.text
            assert refused_fields(response) == {submission.refused}
        assert mail.outbox == []
        return

    assert response.status_code == 302, refused_fields(response)
    assert response["Location"] == RECEIPT[language]
    assert new.count() == 1
    expected = expected_row(submission.fields, language)
    assert new.values(*expected).get() == expected
    sent_assessment = submission.fields["send_self_assessment"] in ("on",)
    assert bool(new.get().self_assessment) == sent_assessment
    assert failed_tasks == []
    receipts = [message for message in mail.outbox if message.to == [expected["email"]]]
    assert len(receipts) == (1 if expected["email"] else 0)
    receipt = surface.get(response["Location"], endpoint="guidance receipt", kind="valid")
    assert receipt.status_code == 200


FIELD_OR_JUNK = st.one_of(st.sampled_from(FIELDS), hostile_text())


@given(data=st.data())
def test_hostile_posts_store_one_request_or_none(surface, numbers, data):
    """Any fields, any values, repeated or missing, files for text, broken bodies: the answer is
    the form again (nothing stored), the receipt (one request stored) or a 400."""
    surface.fresh_visitor()
    language = data.draw(st.sampled_from(["nb", "nn"]), label="standard")
    value = st.one_of(st.sampled_from(["", "on", *numbers[:3], *TOPICS, *METHODS]), hostile_text())
    pairs = data.draw(st.lists(st.tuples(FIELD_OR_JUNK, value), max_size=14), label="pairs")
    before = GuidanceRequest.objects.count()
    how = data.draw(st.sampled_from(["pairs", "files", "raw", "too many"]), label="body")
    with NO_RATE_LIMIT:
        if how == "pairs":
            response = post(surface, FORM[language], pairs, data, "hostile")
        elif how == "files":
            names = data.draw(st.lists(FIELD_OR_JUNK, min_size=1, max_size=3), label="files")
            files = {name: SimpleUploadedFile("x.txt", b"\x00\xff", "text/plain") for name in names}
            pairs = [(name, value) for name, value in pairs if name not in files]
            response = post(surface, FORM[language], pairs, data, "hostile", files)
        else:
            raw = data.draw(RAW_QUERY, label="raw body")
            if how == "too many":
                raw += "&name=x" * 1000
            response = surface.post(
                FORM[language],
                raw,
                content_type="application/x-www-form-urlencoded",
                endpoint="guidance request",
                kind="hostile",
            )
    stored = GuidanceRequest.objects.count() - before
    if how == "too many":
        assert response.status_code == 400
    assert response.status_code in (200, 302, 400)
    assert stored == (1 if response.status_code == 302 else 0)
    if response.status_code == 302:
        assert response["Location"] == RECEIPT[language]
    sent = dict(pairs) if how in ("pairs", "files") else {}
    if sent.get("website"):
        assert stored == 0


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@given(data=st.data())
def test_posts_without_the_csrf_token_are_refused_and_store_nothing(numbers, data, db):
    surface = Surface(Client(enforce_csrf_checks=True))
    surface.fresh_visitor()
    language = data.draw(st.sampled_from(["nb", "nn"]), label="standard")
    form = surface.get(FORM[language], endpoint="guidance request form", kind="valid")
    token = CSRF_TOKEN.search(form.text).group(1)
    sent = data.draw(
        st.one_of(
            st.just(token),
            st.none(),
            hostile_text(),
            st.text(string.ascii_letters, min_size=64, max_size=64),
        ),
        label="token",
    )
    submission = valid_submission(data, numbers, with_assessment=False)
    pairs = [(name, value) for name, value in submission.fields.items() if value is not None]
    if sent is not None:
        pairs.append(("csrfmiddlewaretoken", sent))
    before = GuidanceRequest.objects.count()
    with NO_RATE_LIMIT:
        response = post(
            surface, FORM[language], pairs, data, "valid" if sent == token else "invalid"
        )
    stored = GuidanceRequest.objects.count() - before
    if sent == token:
        assert (response.status_code, stored) == (302, 1)
    else:
        assert (response.status_code, stored) == (403, 0)


@pytest.mark.parametrize("one_refused", [False, True])
@given(data=st.data())
def test_self_assessment_sums_up_valid_answers_and_names_a_missing_one(
    surface, assessment_answers, one_refused, data
):
    surface.fresh_visitor()
    language = data.draw(st.sampled_from(["nb", "nn"]), label="standard")
    answers = {name: data.draw(st.sampled_from("1234"), label=name) for name in assessment_answers}
    refused = None
    if one_refused:
        refused = data.draw(st.sampled_from(assessment_answers), label="refused")
        answers[refused] = data.draw(
            st.one_of(st.none(), one_of_except(hostile_text(), ["1", "2", "3", "4"]))
        )
    pairs = []
    for name, value in answers.items():
        if value is None:
            continue
        for earlier in data.draw(st.lists(hostile_text(), max_size=1), label=f"{name} repeats"):
            pairs.append((name, earlier))
        pairs.append((name, value))
    junk = one_of_except(hostile_text(), assessment_answers)
    pairs += data.draw(st.lists(st.tuples(junk, hostile_text()), max_size=3), label="others")
    before = GuidanceRequest.objects.count()
    response = surface.post(
        SELF_ASSESSMENT[language],
        query(pairs),
        content_type="application/x-www-form-urlencoded",
        endpoint="self-assessment",
        kind="invalid" if refused else "valid",
    )
    assert response.status_code == 200
    assert GuidanceRequest.objects.count() == before
    templates = [t.name for t in response.templates]
    if refused:
        assert "guidance/self_assessment_summary.html" not in templates
        assert refused_fields(response) == {refused}
    else:
        assert "guidance/self_assessment_summary.html" in templates


@pytest.mark.parametrize("last", ["known", "other", "none"])
@given(data=st.data())
def test_finder_and_form_answer_any_municipality(surface, numbers, last, data):
    """The last `municipality` sent counts: a known number (maybe with spaces around, which the
    lookup strips), anything else, or none at all."""
    language = data.draw(st.sampled_from(["nb", "nn"]), label="standard")
    values = []
    if last != "none":
        values = data.draw(st.lists(hostile_text(), max_size=2), label="earlier values")
        known = st.one_of(st.sampled_from(numbers), padded(st.sampled_from(numbers)))
        other = hostile_text().filter(lambda value: value.strip() not in numbers)
        values.append(data.draw(known if last == "known" else other, label="municipality"))
    others = data.draw(
        st.lists(
            st.tuples(one_of_except(hostile_text(), ["municipality"]), hostile_text()), max_size=2
        )
    )
    pairs = [*others, *(("municipality", value) for value in values)]
    qs = query(pairs)
    known = last == "known"
    number = values[-1].strip() if known else None
    kind = "invalid" if last == "other" else "valid"

    finder = surface.get(f"{GUIDANCE[language]}?{qs}", endpoint="guidance finder", kind=kind)
    assert finder.status_code == 200
    assert ('id="results-heading"' in finder.text) == known
    # The finder's select is marked invalid when the number sent is none it knows.
    assert ('aria-invalid="true"' in finder.text) == (bool(values) and not known)

    form = surface.get(f"{FORM[language]}?{qs}", endpoint="guidance request form", kind=kind)
    assert form.status_code == 200
    if known:
        assert f'<option value="{number}" selected>' in form.text
    else:
        assert '<option value="" selected>' in form.text


@given(
    pairs=st.lists(st.tuples(hostile_text(), hostile_text()), max_size=4),
    language=st.sampled_from(["nb", "nn"]),
)
def test_self_assessment_and_receipt_pages_ignore_any_query(surface, pairs, language):
    surface.fresh_visitor()
    qs = query(pairs)
    page = surface.get(f"{SELF_ASSESSMENT[language]}?{qs}", endpoint="self-assessment")
    assert page.status_code == 200
    # Without a request in the session the receipt leads back to the form.
    receipt = surface.get(f"{RECEIPT[language]}?{qs}", endpoint="guidance receipt")
    assert receipt.status_code == 302
    assert receipt["Location"] == FORM[language]
