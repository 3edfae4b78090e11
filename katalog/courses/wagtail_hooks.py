from functools import reduce
from operator import or_

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Category, Enrolment


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
