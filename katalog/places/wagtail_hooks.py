from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Municipality, Region


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
