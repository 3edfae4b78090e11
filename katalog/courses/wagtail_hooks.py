from functools import reduce
from operator import or_

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.scoped_admin import PermissionMenuItem

from .models import Audience, Category, CoursePage, Enrolment, EnrolmentLogEntry
from .viewsets import EnrolmentViewSet, ProviderViewSet


# Short lists: the admin searches them with the ORM, not the search backend.
class CategoryViewSet(SnippetViewSet):
    model = Category
    search_backend_name = None
    icon = "tag"
    list_display = ["name_nb", "name_nn", "slug"]
    search_fields = ["name_nb", "name_nn"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    search_backend_name = None
    icon = "group"
    list_display = ["name_nb", "name_nn", "slug"]
    search_fields = ["name_nb", "name_nn"]


class CourseTaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Course taxonomies")
    menu_icon = "tag"
    items = (CategoryViewSet, AudienceViewSet)


register_snippet(CourseTaxonomyViewSetGroup)


def _refuse_deleting_enrolments(request, pages):
    """Participants' enrolments keep their sessions (PROTECT): deleting a page with such a
    session, or above one, is refused with a message instead of failing."""
    pages = [page for page in pages if isinstance(page, Page)]
    if not pages:
        return None
    below = reduce(or_, (Q(session__page__path__startswith=page.path) for page in pages))
    if not Enrolment.objects.filter(below).exists():
        return None
    messages.error(
        request,
        _(
            "Participants are enrolled in sessions of this course, or of a course below this "
            "page. Cancel those sessions instead of deleting."
        ),
    )
    return redirect("wagtailadmin_explore", pages[0].get_parent().pk)


@hooks.register("before_delete_page")
def refuse_deleting_a_page_with_enrolments(request, page):
    return _refuse_deleting_enrolments(request, [page])


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_pages_with_enrolments(request, action_type, objects, action):
    if action_type == "delete":
        return _refuse_deleting_enrolments(request, objects)
    return None


@hooks.register("register_admin_viewset")
def register_participants_viewset():
    return EnrolmentViewSet("participants")


@hooks.register("register_admin_viewset")
def register_provider_viewset():
    return ProviderViewSet("course_providers")


ENROLMENT_ACTIONS = {
    "attended": (_("Mark as attended"), _("Marked as attended")),
    "no_show": (_("Mark as not shown up"), _("Marked as not shown up")),
    "promote": (_("Promote from the waiting list"), _("Promoted from the waiting list")),
    "cancel": (_("Cancel the enrolment"), _("Enrolment cancelled by the organiser")),
    "move": (_("Move to another session"), _("Moved to another session")),
    "session_cancelled": (_("Cancel the session"), _("Cancelled with the session")),
}


@hooks.register("register_log_actions")
def log_enrolments_apart(actions):
    actions.register_model(Enrolment, EnrolmentLogEntry)
    for action, (label, message) in ENROLMENT_ACTIONS.items():
        actions.register_action(f"courses.enrolment.{action}", label, message)


@hooks.register("register_reports_menu_item")
def register_invoice_basis_menu_item():
    return PermissionMenuItem(
        _("Invoice basis"),
        reverse("participants:invoice_basis"),
        icon_name="table",
        order=900,
        permission="courses.view_enrolment",
    )


@hooks.register("register_reports_menu_item")
def register_evaluations_menu_item():
    return PermissionMenuItem(
        _("Course evaluations"),
        reverse("participants:evaluations"),
        icon_name="table",
        order=901,
        permission="courses.view_evaluation",
    )


@hooks.register("register_page_listing_more_buttons")
def participants_of_a_course(page, user, next_url=None):
    if page.specific_class is CoursePage and user.has_perm("courses.view_enrolment"):
        yield Button(
            _("Participants"),
            reverse("participants:index") + f"?course={page.pk}",
            icon_name="group",
            priority=70,
        )
