from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Category


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
