"""A municipality's forum member sees and edits their own municipality's needs and no other's,
on every admin URL; an organisation's member sees the needs they registered; the coordinators
see all.

The URLs come from the resolver (tests/admin_walk.py), as for the guidance inbox and the
organisers, so a view that Wagtail or an app adds later is walked too. Each URL argument is filled
with municipality B's need (or a measure page that answers it), so object views are asked for
exactly what A's member must not see.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.log_actions import log

from forum.models import (
    ForumIndexPage,
    ForumMember,
    MeasurePage,
    Need,
    NeedLogEntry,
    TrainingPlanPage,
)
from katalog.places.models import Municipality
from tests.admin_walk import admin_paths, response_text

pytestmark = pytest.mark.django_db

MEMBER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("forum", "add_need"),
    ("forum", "change_need"),
    ("forum", "delete_need"),
    ("forum", "view_need"),
]
COORDINATOR_PERMISSIONS = MEMBER_PERMISSIONS + [
    ("forum", "coordinate"),
    ("forum", "add_forummember"),
    ("forum", "change_forummember"),
    ("forum", "delete_forummember"),
    ("forum", "view_forummember"),
    ("forum", "add_indicatormeasurement"),
    ("forum", "change_indicatormeasurement"),
    ("forum", "delete_indicatormeasurement"),
    ("forum", "view_indicatormeasurement"),
]

# Words nobody else in the database has, so finding one in a response can only be a leak.
SECRET = {
    "target_group": "Løynde helsefagarbeidarar i kommune B",
    "description": "Hemmeleg skildring av behovet til kommune B",
}


def municipality(number):
    return Municipality.objects.get(number=number)


def user_with(django_user_model, username, permissions):
    user = django_user_model.objects.create_user(username, f"{username}@example.no", "pw")
    user.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in permissions
        ]
    )
    return user


def forum_member(django_user_model, username, municipality=None, organisation=""):
    user = user_with(django_user_model, username, MEMBER_PERMISSIONS)
    ForumMember.objects.create(user=user, municipality=municipality, organisation=organisation)
    return user


def coordinator(django_user_model, username="test_koordinator"):
    return user_with(django_user_model, username, COORDINATOR_PERMISSIONS)


def need(municipality, registered_by=None, **fields):
    values = {
        "service_area": "health_care",
        "target_group": "Assistentar i heimetenesta",
        "employees_concerned": 10,
        "kind": "basic",
        "urgency": "soon",
        "description": "Grunnopplæring i helsefag.",
        **fields,
    }
    return Need.objects.create(municipality=municipality, registered_by=registered_by, **values)


def measure_answering(*needs):
    """A measure of a training plan, answering the needs: the walk opens its page URLs too."""
    from wagtail.models import Locale

    from portal.models import HomePage

    nb = Locale.objects.get(language_code="nb")
    forum_page = ForumIndexPage.objects.filter(locale=nb).first()
    if forum_page is None:
        forum_page = HomePage.objects.get(locale=nb).add_child(
            instance=ForumIndexPage(title="Kompetanseforum", slug="kompetanseforum-test")
        )
    plan = forum_page.add_child(
        instance=TrainingPlanPage(
            title="Plan for opplæringstiltak (test)",
            slug="plan-test",
            period_start="2026-01-01",
            period_end="2026-12-31",
        )
    )
    measure = plan.add_child(
        instance=MeasurePage(
            title="Tiltak for heimetenesta (test)",
            slug="tiltak-test",
            goal="Alle assistentar har grunnopplæring.",
            responsible="Kompetanseforum",
        )
    )
    measure.needs.set(needs)
    measure.save_revision().publish()
    return measure


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


@pytest.fixture(autouse=True)
def empty_register(db):
    """The demo's needs are left out: each test sees only the needs it registers."""
    Need.objects.all().delete()


@pytest.fixture
def need_of_b(django_user_model):
    """Voss's need, registered and edited by Voss's member, so that it has an admin history."""
    member_b = forum_member(django_user_model, "test_medlem_voss", municipality("4621"))
    b_need = need(municipality("4621"), registered_by=member_b, **SECRET)
    log(b_need, "wagtail.create", user=member_b)
    log(b_need, "wagtail.edit", user=member_b)
    return b_need


def organisation_member(django_user_model):
    """A representative of an employees' organisation, with a need they registered (for Stord)."""
    user = forum_member(django_user_model, "test_medlem_fagforbund", organisation="Fagforbundet")
    user.own_need = need(municipality("4614"), registered_by=user, target_group="Reinhaldarar")
    log(user.own_need, "wagtail.create", user=user)
    return user


def municipality_member(django_user_model):
    """Stord's member, with a need of their own in its history."""
    user = forum_member(django_user_model, "test_medlem_stord", municipality("4614"))
    user.own_need = need(municipality("4614"), registered_by=user, target_group="Stords lærarar")
    log(user.own_need, "wagtail.create", user=user)
    return user


@pytest.fixture
def member_of_a(django_user_model):
    return municipality_member(django_user_model)


@pytest.mark.parametrize("make_user", [municipality_member, organisation_member])
def test_no_admin_url_shows_another_municipalitys_need(
    client, django_user_model, need_of_b, make_user
):
    user = make_user(django_user_model)
    page = measure_answering(need_of_b, user.own_need)
    client.force_login(user)
    client.raise_request_exception = False
    walked, leaks = 0, []
    for path in admin_paths(need_of_b, page):
        response = client.get(path)
        walked += 1
        variants = [(path, response, SECRET)]
        if response.status_code == 200:
            # A search echoes its own query, so the searched words are not looked for there.
            searched = {k: v for k, v in SECRET.items() if k != "target_group"}
            csv = client.get(path, {"export": "csv"})
            variants += [
                (f"{path}?q=", client.get(path, {"q": SECRET["target_group"]}), searched),
                (f"{path}?export=csv", csv, SECRET),
            ]
            # Wagtail's views export both formats or neither.
            if csv.streaming:
                variants.append(
                    (f"{path}?export=xlsx", client.get(path, {"export": "xlsx"}), SECRET)
                )
        for where, answer, secret in variants:
            text = response_text(answer)
            leaks += [(where, field) for field, value in secret.items() if value in text]
    assert walked > 200, "the resolver should give every admin URL"
    assert leaks == []


@pytest.mark.parametrize(
    "url_name", ["inspect", "edit", "history", "history_results", "usage", "delete"]
)
def test_another_municipalitys_need_is_refused(client, member_of_a, need_of_b, url_name):
    client.force_login(member_of_a)
    assert refused(client.get(reverse(f"needs:{url_name}", args=[need_of_b.pk])))


def test_posting_to_another_municipalitys_need_changes_nothing(client, member_of_a, need_of_b):
    client.force_login(member_of_a)
    edit = client.post(
        reverse("needs:edit", args=[need_of_b.pk]),
        {
            "municipality": need_of_b.municipality_id,
            "service_area": "education",
            "target_group": "Overskrive",
            "employees_concerned": 1,
            "kind": "other",
            "urgency": "later",
            "description": "Overskrive",
        },
    )
    assert refused(edit)
    assert refused(client.post(reverse("needs:delete", args=[need_of_b.pk])))
    need_of_b.refresh_from_db()
    assert need_of_b.target_group == SECRET["target_group"]


def test_own_need_opens(client, member_of_a):
    client.force_login(member_of_a)
    for url_name in ("inspect", "edit", "history"):
        response = client.get(reverse(f"needs:{url_name}", args=[member_of_a.own_need.pk]))
        assert response.status_code == 200, url_name
        assert "Stords lærarar" in response.text


def test_listing_overview_and_exports_show_only_the_members_municipality(
    client, member_of_a, need_of_b
):
    client.force_login(member_of_a)
    listing = client.get(reverse("needs:index"))
    assert list(listing.context["object_list"]) == [member_of_a.own_need]
    overview = client.get(reverse("needs:overview"))
    assert overview.context["overview"]["total_needs"] == 1
    assert overview.context["overview"]["shared"] == []
    for url in (reverse("needs:index"), reverse("needs:overview")):
        for export in ("csv", "xlsx"):
            text = response_text(client.get(url, {"export": export}))
            assert SECRET["target_group"] not in text
            assert "Voss" not in text
    assert "Stords lærarar" in response_text(client.get(reverse("needs:index"), {"export": "csv"}))


def test_municipality_filter_offers_only_the_members_own_municipality(
    client, member_of_a, need_of_b
):
    client.force_login(member_of_a)
    response = client.get(reverse("needs:overview"))
    offered = list(response.context["filters"].form.fields["municipality"].queryset)
    assert offered == [municipality("4614")]


def test_member_finds_their_municipality_chosen_and_no_other_offered(client, member_of_a):
    client.force_login(member_of_a)
    response = client.get(reverse("needs:add"))
    field = response.context["form"].fields["municipality"]
    assert list(field.queryset) == [municipality("4614")]
    assert response.context["form"].initial["municipality"] == municipality("4614").pk
    # A plain select (no chooser that needs JavaScript and lists every municipality).
    assert '<select name="municipality"' in response.text
    assert "/admin/snippets/choose/places/municipality/" not in response.text
    assert "Voss" not in response.text


def need_form(municipality_pk, **fields):
    return {
        "municipality": municipality_pk,
        "service_area": "education",
        "target_group": "Nytilsette lærarar",
        "employees_concerned": 12,
        "kind": "new_employees",
        "urgency": "urgent",
        "description": "Rettleiing for nytilsette.",
        **fields,
    }


def test_member_cannot_register_a_need_for_another_municipality(client, member_of_a):
    client.force_login(member_of_a)
    response = client.post(reverse("needs:add"), need_form(municipality("4621").pk))
    assert response.status_code == 200
    # The admin speaks bokmål unless the user chose nynorsk.
    assert response.context["form"].errors["municipality"] == [
        "Du kan bare registrere behov for Stord. En annen kommunes behov registreres av "
        "kommunens egne medlemmer."
    ]
    assert not Need.objects.filter(target_group="Nytilsette lærarar").exists()


def test_member_registers_a_need_for_their_municipality_as_its_registrar(client, member_of_a):
    client.force_login(member_of_a)
    response = client.post(reverse("needs:add"), need_form(municipality("4614").pk))
    assert response.status_code == 302
    created = Need.objects.get(target_group="Nytilsette lærarar")
    assert created.municipality == municipality("4614")
    assert created.registered_by == member_of_a
    assert NeedLogEntry.objects.filter(object_id=str(created.pk), action="wagtail.create").exists()


def test_organisation_member_registers_for_any_municipality_and_sees_only_their_own(
    client, django_user_model, need_of_b
):
    user = organisation_member(django_user_model)
    client.force_login(user)
    form = client.get(reverse("needs:add")).context["form"]
    assert form.fields["municipality"].queryset.count() == Municipality.objects.count()
    response = client.post(reverse("needs:add"), need_form(municipality("4621").pk))
    assert response.status_code == 302
    created = Need.objects.get(target_group="Nytilsette lærarar")
    assert created.registered_by == user
    listing = client.get(reverse("needs:index"))
    assert set(listing.context["object_list"]) == {user.own_need, created}
    assert refused(client.get(reverse("needs:inspect", args=[need_of_b.pk])))


def test_staff_without_a_seat_in_the_forum_is_told_to_ask_a_coordinator(client, django_user_model):
    user = user_with(django_user_model, "test_utan_sete", MEMBER_PERMISSIONS)
    client.force_login(user)
    response = client.post(reverse("needs:add"), need_form(municipality("4614").pk))
    assert response.status_code == 200
    assert "Be en koordinator om å legge deg til som forummedlem." in str(
        response.context["form"].errors["municipality"]
    )
    assert not Need.objects.filter(target_group="Nytilsette lærarar").exists()


def test_coordinator_sees_and_opens_every_municipalitys_needs(
    client, django_user_model, member_of_a, need_of_b
):
    client.force_login(coordinator(django_user_model))
    listing = client.get(reverse("needs:index"))
    assert {member_of_a.own_need, need_of_b} <= set(listing.context["object_list"])
    response = client.get(reverse("needs:inspect", args=[need_of_b.pk]))
    assert response.status_code == 200
    assert SECRET["description"] in response.text
    form = client.get(reverse("needs:add")).context["form"]
    assert form.fields["municipality"].queryset.count() == Municipality.objects.count()


def test_site_history_lists_only_the_members_own_needs(client, member_of_a, need_of_b):
    client.force_login(member_of_a)
    response = client.get("/admin/reports/site-history/")
    assert "Stords lærarar" in response.text
    assert SECRET["target_group"] not in response.text
