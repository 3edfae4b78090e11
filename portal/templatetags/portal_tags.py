from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

register = template.Library()

# The switcher names each standard in its own words.
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk"}


def _home_page(request):
    site = Site.find_for_request(request)
    return site.root_page.localized if site else None


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in each written standard: its twin when translated, else that home page."""
    request = context["request"]
    page = context.get("page")
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    current = get_language()
    translations = {}
    if isinstance(page, Page):
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
    versions = []
    for code, _name in settings.LANGUAGES:
        twin = translations.get(code)
        if twin:
            # A routable page's route (the same words in both standards) follows the twin.
            url = twin.get_url(request) + context.get("subpage_path", "") + query
        elif page is None:
            url = translate_url(request.get_full_path(), code)
        else:
            home = _home_page(request)
            home = home and home.get_translation_or_none(Locale.objects.get(language_code=code))
            url = home.get_url(request) if home else f"/{code}/"
        versions.append(
            {"code": code, "name": LANGUAGE_NAMES[code], "url": url, "current": code == current}
        )
    return versions


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    home = _home_page(request)
    items = home.get_children().live().public().in_menu() if home else []
    current = context.get("page")
    return {
        "request": request,
        "home": home,
        "items": items,
        "current_path": current.url_path if isinstance(current, Page) else "",
    }


@register.simple_tag(takes_context=True)
def localized_home(context):
    return _home_page(context["request"])
