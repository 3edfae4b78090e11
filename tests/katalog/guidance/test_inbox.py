import pytest
from django.contrib.auth.models import Permission

from katalog.guidance.models import CentreAccess, CentrePage, GuidanceRequest
from tests.factories import GuidanceRequestFactory

pytestmark = pytest.mark.django_db

BASE = "/admin/guidance_requests/"


def make_request(slug, name, **fields):
    centre = CentrePage.objects.get(locale__language_code="nb", slug=slug)
    return GuidanceRequestFactory(centre=centre, name=name, **fields)


@pytest.fixture
def requests_of_two_centres():
    return (
        make_request("studiesenteret-sunnhordland", "Stordbu"),
        make_request("opus-voss", "Vossing"),
    )


@pytest.fixture
def staff_client(client, django_user_model):
    """A member of Studiesenteret Sunnhordland's staff group, and nothing else."""
    user = django_user_model.objects.create_user("stord", "stord@example.no", "pw")
    centre = CentrePage.objects.get(locale__language_code="nb", slug="studiesenteret-sunnhordland")
    CentreAccess.group_of(centre).user_set.add(user)
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize("listing", ["", "results/", "?q=example.no", "?status=new"])
def test_staff_list_only_their_centres_requests(staff_client, requests_of_two_centres, listing):
    response = staff_client.get(BASE + listing)
    assert response.status_code == 200
    assert "Stordbu" in response.text
    assert "Vossing" not in response.text


def test_staff_see_requests_sent_through_the_nn_twin_of_their_centre(staff_client, nn):
    centre = CentrePage.objects.get(locale=nn, slug="studiesenteret-sunnhordland")
    GuidanceRequestFactory(
        centre=centre,
        name="Nynorskbrukar",
        email="",
        phone="53 00 00 00",
        topic="study",
        contact_method="phone",
    )
    assert "Nynorskbrukar" in staff_client.get(BASE).text


@pytest.mark.parametrize(
    "path",
    [
        "edit/{pk}/",
        "inspect/{pk}/",
        "delete/{pk}/",
        "history/{pk}/",
        "usage/{pk}/",
    ],
)
def test_staff_cannot_open_another_centres_request_by_url(
    staff_client, requests_of_two_centres, path
):
    own, other = requests_of_two_centres
    staff_client.user.user_permissions.add(
        Permission.objects.get(codename="delete_guidancerequest")
    )
    response = staff_client.get(BASE + path.format(pk=other.pk))
    # Wagtail answers a denied admin view with a redirect to the dashboard and a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "Vossing" not in response.text
    own_response = staff_client.get(BASE + path.format(pk=own.pk))
    assert own_response.status_code == 200


def test_staff_cannot_change_or_delete_another_centres_request_by_post(
    staff_client, requests_of_two_centres
):
    own, other = requests_of_two_centres
    staff_client.user.user_permissions.add(
        Permission.objects.get(codename="delete_guidancerequest")
    )
    staff_client.post(BASE + f"edit/{other.pk}/", {"status": "closed", "internal_notes": "x"})
    staff_client.post(BASE + f"delete/{other.pk}/")
    other.refresh_from_db()
    assert other.status == GuidanceRequest.Status.NEW
    assert other.internal_notes == ""


def test_export_holds_only_their_centres_requests(staff_client, requests_of_two_centres):
    response = staff_client.get(BASE, {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Stordbu" in content
    assert "stordbu@example.no" in content
    assert "Vossing" not in content


def test_export_as_spreadsheet(staff_client, requests_of_two_centres):
    response = staff_client.get(BASE, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_user_without_a_centre_sees_nothing(client, django_user_model, requests_of_two_centres):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("outsider", "o@example.no", "pw")
    user.groups.add(Group.objects.create(name="Ei gruppe utan senter"))
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_guidancerequest"),
    )
    client.force_login(user)
    response = client.get(BASE)
    assert "Stordbu" not in response.text and "Vossing" not in response.text


def test_staff_move_a_request_through_its_statuses(staff_client, requests_of_two_centres):
    own, _other = requests_of_two_centres
    for status in ("contacted", "closed"):
        response = staff_client.post(
            BASE + f"edit/{own.pk}/",
            {"status": status, "assigned_to": staff_client.user.pk, "internal_notes": "Ringt."},
        )
        assert response.status_code == 302, response.context["form"].errors
        own.refresh_from_db()
        assert own.status == status
    assert own.assigned_to == staff_client.user
    assert own.internal_notes == "Ringt."
    assert own.status_changed_at > own.created_at


def test_staff_filter_by_status(staff_client, requests_of_two_centres):
    own, _other = requests_of_two_centres
    make_request("studiesenteret-sunnhordland", "Lukka", status="closed")
    response = staff_client.get(BASE, {"status": "closed"})
    assert "Lukka" in response.text
    assert "Stordbu" not in response.text


def test_nobody_adds_requests_in_the_admin(admin_client):
    response = admin_client.get(BASE + "new/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert 'href="/admin/guidance_requests/new/"' not in admin_client.get(BASE).text


def test_superuser_sees_every_centres_requests(admin_client, requests_of_two_centres):
    response = admin_client.get(BASE)
    assert "Stordbu" in response.text and "Vossing" in response.text
    inspect = admin_client.get(BASE + f"inspect/{requests_of_two_centres[1].pk}/")
    assert inspect.status_code == 200


def test_requests_are_assigned_only_to_the_centres_own_staff(
    staff_client, requests_of_two_centres, django_user_model
):
    own, _other = requests_of_two_centres
    voss = CentrePage.objects.get(locale__language_code="nb", slug="opus-voss")
    outsider = django_user_model.objects.create_user("vossing", "v@example.no", "pw")
    CentreAccess.group_of(voss).user_set.add(outsider)
    form = staff_client.get(BASE + f"edit/{own.pk}/").context["form"]
    assert list(form.fields["assigned_to"].queryset) == [staff_client.user]
    response = staff_client.post(
        BASE + f"edit/{own.pk}/", {"status": "new", "assigned_to": outsider.pk}
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.assigned_to is None


def test_inbox_query_count_does_not_grow_with_requests(
    staff_client, requests_of_two_centres, django_assert_max_num_queries
):
    with django_assert_max_num_queries(80) as captured:
        staff_client.get(BASE)
    before = len(captured.captured_queries)
    for index in range(10):
        make_request("studiesenteret-sunnhordland", f"Ekstra{index}")
    with django_assert_max_num_queries(before):
        response = staff_client.get(BASE)
    assert "Ekstra9" in response.text


def test_staff_find_the_inbox_in_the_admin_menu(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert "/admin/guidance_requests/" in response.text
