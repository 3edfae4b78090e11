from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    Audience,
    Category,
    GuidanceRequest,
    GuidanceRequestLogEntry,
    Municipality,
    Region,
)


# Short lists: the admin searches them with the ORM, not the search backend.
class RegionViewSet(SnippetViewSet):
    model = Region
    search_backend_name = None
    icon = "globe"
    list_display = ["name_nb", "name_nn"]
    search_fields = ["name_nb", "name_nn"]


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    search_backend_name = None
    icon = "home"
    list_display = ["number", "name_nb", "name_nn", "region"]
    list_filter = ["region"]
    search_fields = ["number", "name_nb", "name_nn"]


class PlacesViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Places")
    menu_icon = "globe"
    items = (MunicipalityViewSet, RegionViewSet)


register_snippet(PlacesViewSetGroup)


@hooks.register("register_admin_viewset")
def register_guidance_request_viewset():
    from .guidance_admin import GuidanceRequestViewSet

    return GuidanceRequestViewSet("guidance_requests")


@hooks.register("register_log_actions")
def log_guidance_requests_apart(actions):
    actions.register_model(GuidanceRequest, GuidanceRequestLogEntry)


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
