"""A measure's editor links only the needs the register shows them: a municipality's member who
may edit the plan's pages is offered their own municipality's needs, a coordinator every one."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from forum.models import ForumMember, Need
from katalog.places.models import Municipality
from tests.forum.factories import MeasurePageFactory, NeedFactory, TrainingPlanPageFactory
from tests.forum.test_needs_privacy import coordinator, forum_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_and_needs():
    Need.objects.all().delete()
    stord = NeedFactory(municipality=Municipality.objects.get(number="4614"), target_group="Eigne")
    bergen = NeedFactory(municipality=Municipality.objects.get(number="4601"), target_group="Andre")
    return TrainingPlanPageFactory(), stord, bergen


def may_edit(user, page):
    group = Group.objects.create(name=f"Planredaktørar {user.username}")
    for permission in ("add", "change", "publish"):
        GroupPagePermission.objects.create(group=group, page=page, permission_type=permission)
    user.groups.add(group)


def offered_needs(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return {int(str(pk)) for pk, _label in response.context["form"].fields["needs"].choices}


def test_a_member_who_edits_the_plan_is_offered_only_their_municipalitys_needs(
    client, django_user_model, plan_and_needs
):
    plan, stord, bergen = plan_and_needs
    member = forum_member(django_user_model, "stord_redaktor", stord.municipality)
    may_edit(member, plan)

    offered = offered_needs(client, member, f"/admin/pages/add/forum/measurepage/{plan.pk}/")

    assert offered == {stord.pk}


def test_a_need_already_linked_stays_offered_so_saving_keeps_it(
    client, django_user_model, plan_and_needs
):
    plan, stord, bergen = plan_and_needs
    measure = MeasurePageFactory(parent=plan, needs=[stord, bergen])
    member = forum_member(django_user_model, "stord_redaktor", stord.municipality)
    may_edit(member, plan)

    offered = offered_needs(client, member, f"/admin/pages/{measure.pk}/edit/")

    assert offered == {stord.pk, bergen.pk}


def test_a_coordinator_is_offered_every_need(client, django_user_model, plan_and_needs):
    plan, stord, bergen = plan_and_needs
    user = coordinator(django_user_model)
    may_edit(user, plan)
    assert not ForumMember.objects.filter(user=user).exists()

    offered = offered_needs(client, user, f"/admin/pages/add/forum/measurepage/{plan.pk}/")

    assert offered == {stord.pk, bergen.pk}
