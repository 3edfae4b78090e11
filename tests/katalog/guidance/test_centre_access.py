"""Which group reads a centre's requests is an access rule, not something a publisher can edit."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from katalog.guidance.models import CentreAccess, CentrePage, GuidanceRequest
from tests.factories import GuidanceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def voss():
    return CentrePage.objects.get(locale__language_code="nb", slug="opus-voss")


@pytest.fixture
def moderator(client, django_user_model):
    """A publisher of every page, the centre pages included."""
    user = django_user_model.objects.create_user("moderator", "m@example.no", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return client


def test_a_publisher_of_the_centre_page_cannot_redirect_its_requests(moderator, voss):
    edit = moderator.get(f"/admin/pages/{voss.pk}/edit/")
    assert edit.status_code == 200
    assert "staff_group" not in edit.text
    own_group = CentreAccess.group_of(voss)

    for path in ["/admin/centre_access/", "/admin/centre_access/new/"]:
        assert moderator.get(path).status_code in (302, 403)
    access = CentreAccess.objects.get(centre=voss)
    other = Group.objects.get(name="Senter: OPUS Bergen")
    moderator.post(
        f"/admin/centre_access/edit/{access.pk}/", {"centre": voss.pk, "group": other.pk}
    )
    assert CentreAccess.group_of(voss) == own_group


def test_a_user_manager_moves_a_centres_requests_to_another_group_and_it_is_logged(
    admin_client, admin_user, django_user_model, voss, nn
):
    nn_request = GuidanceRequestFactory(centre=voss.get_translation(nn), name="Nynorsk Vossing")
    old_member = django_user_model.objects.create_user("gammal", "g@example.no", "pw")
    CentreAccess.group_of(voss).user_set.add(old_member)
    new_group = Group.objects.create(name="Senter: OPUS Voss (ny)")
    new_member = django_user_model.objects.create_user("ny", "n@example.no", "pw")
    new_group.user_set.add(new_member)
    access = CentreAccess.objects.get(centre=voss)

    response = admin_client.post(
        f"/admin/centre_access/edit/{access.pk}/", {"centre": voss.pk, "group": new_group.pk}
    )
    assert response.status_code == 302

    # The access holds for the centre in both standards: the nn twin's request moved too.
    assert CentreAccess.group_of(voss.get_translation(nn)) == new_group
    assert GuidanceRequest.objects.visible_to(new_member).filter(pk=nn_request.pk).exists()
    assert not GuidanceRequest.objects.visible_to(old_member).exists()
    entry = ModelLogEntry.objects.for_instance(access).get(action="wagtail.edit")
    assert entry.user == admin_user


def test_a_centre_has_one_access_rule(admin_client, voss):
    response = admin_client.post(
        "/admin/centre_access/new/",
        {"centre": voss.pk, "group": Group.objects.get(name="Senter: OPUS Bergen").pk},
    )
    assert response.status_code == 200
    assert "centre" in response.context["form"].errors
    assert CentreAccess.objects.filter(centre=voss).count() == 1


def test_only_source_language_centres_are_offered(admin_client, nn):
    response = admin_client.get("/admin/centre_access/new/")
    offered = response.context["form"].fields["centre"].queryset
    assert offered.exists()
    assert not offered.filter(locale=nn).exists()
