"""Every admin URL, walked as staff of another centre, shows none of a citizen's personal data.

The URLs come from the resolver, not from a list, so a view that Wagtail or an app adds later is
walked too. Each URL argument is filled with the other centre's request (or its page, or its app
and model), so object views are asked for exactly the object the user must not see.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from wagtail.log_actions import log

from katalog.guidance.models import CentreAccess, CentrePage, GuidanceRequest
from portal.retention import purge
from tests.admin_walk import admin_paths, response_text

pytestmark = pytest.mark.django_db

# Values nobody else in the database has, so finding one in a response can only be a leak.
PERSONAL = {
    "name": "Lekkasjetest Særnavn",
    "email": "lekkasje.saernavn@example.no",
    "phone": "+47 918 27 364",
    "message": "Hemmeleg melding om helsa mi",
    "internal_notes": "Intern merknad om saka",
}


@pytest.fixture
def other_centres_request(django_user_model):
    """A request to OPUS Voss, edited by its own staff so that it has an admin history."""
    centre = CentrePage.objects.get(locale__language_code="nb", slug="opus-voss")
    guidance_request = GuidanceRequest.objects.create(
        centre=centre,
        municipality=centre.municipalities.first(),
        language="nb",
        topic="career",
        contact_method="email",
        **PERSONAL,
    )
    voss_staff = django_user_model.objects.create_user("voss", "voss@example.no", "pw")
    CentreAccess.group_of(centre).user_set.add(voss_staff)
    log(guidance_request, "wagtail.create", user=voss_staff)
    log(guidance_request, "wagtail.edit", user=voss_staff)
    return guidance_request


def staff_of_another_centre(django_user_model):
    """Staff of Studiesenteret Sunnhordland, with every permission on guidance requests."""
    user = django_user_model.objects.create_user("stord", "stord@example.no", "pw")
    centre = CentrePage.objects.get(locale__language_code="nb", slug="studiesenteret-sunnhordland")
    CentreAccess.group_of(centre).user_set.add(user)
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="_guidancerequest"))
    return user


def editor_without_a_centre(django_user_model):
    """One of the network's editors: pages and snippets, but no centre's inbox."""
    user = django_user_model.objects.create_user("redaktor", "r@example.no", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.parametrize("make_user", [staff_of_another_centre, editor_without_a_centre])
def test_no_admin_url_shows_another_centres_request(
    client, django_user_model, other_centres_request, make_user
):
    client.force_login(make_user(django_user_model))
    client.raise_request_exception = False
    walked, leaks = 0, []
    for path in admin_paths(other_centres_request, other_centres_request.centre):
        response = client.get(path)
        walked += 1
        variants = [(path, response, PERSONAL)]
        if response.status_code == 200:
            # A search echoes its own query, so the searched email is not looked for there.
            searched = {k: v for k, v in PERSONAL.items() if k != "email"}
            csv = client.get(path, {"export": "csv"})
            variants += [
                (f"{path}?q=", client.get(path, {"q": PERSONAL["email"]}), searched),
                (f"{path}?export=csv", csv, PERSONAL),
            ]
            # Wagtail's views export both formats or neither.
            if csv.streaming:
                variants.append(
                    (f"{path}?export=xlsx", client.get(path, {"export": "xlsx"}), PERSONAL)
                )
        for where, answer, personal in variants:
            text = response_text(answer)
            leaks += [(where, field) for field, value in personal.items() if value in text]
    assert walked > 200, "the resolver should give every admin URL"
    assert leaks == []


def test_site_history_lists_only_the_users_own_centres_requests(
    client, django_user_model, other_centres_request
):
    user = staff_of_another_centre(django_user_model)
    own = GuidanceRequest.objects.create(
        centre=CentrePage.objects.get(
            locale__language_code="nb", slug="studiesenteret-sunnhordland"
        ),
        municipality=other_centres_request.municipality,
        language="nb",
        name="Eigen søkjar",
        topic="study",
        contact_method="email",
    )
    log(own, "wagtail.create", user=user)
    client.force_login(user)
    response = client.get("/admin/reports/site-history/")
    assert str(own) in response.text
    assert str(other_centres_request) not in response.text


def test_request_titles_and_log_labels_hold_no_personal_data(other_centres_request):
    with translation.override("en"):
        assert str(other_centres_request) == f"Request {other_centres_request.pk} – Career"
    labels = " ".join(
        GuidanceRequest._meta.apps.get_model("guidance", "GuidanceRequestLogEntry")
        .objects.filter(object_id=str(other_centres_request.pk))
        .values_list("label", flat=True)
    )
    assert labels
    assert not any(value in labels for value in PERSONAL.values())


def test_anonymised_request_leaves_no_personal_data_in_its_history(other_centres_request):
    GuidanceRequest.objects.filter(pk=other_centres_request.pk).update(
        status=GuidanceRequest.Status.CLOSED, status_changed_at="2000-01-01T00:00:00Z"
    )
    purge()
    other_centres_request.refresh_from_db()
    stored = [
        str(value)
        for entry in GuidanceRequest._meta.apps.get_model("guidance", "GuidanceRequestLogEntry")
        .objects.filter(object_id=str(other_centres_request.pk))
        .values("label", "data")
        for value in entry.values()
    ]
    row = [str(getattr(other_centres_request, field)) for field in PERSONAL]
    assert not any(value in text for value in PERSONAL.values() for text in stored + row)
