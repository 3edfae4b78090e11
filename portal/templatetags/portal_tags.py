from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal import content_cache
from portal.models import SiteSettings, localized_pages, unrestricted

register = template.Library()

# The switcher names each standard in its own words.
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk"}


def _homes(request):
    """{language code: {"url", "path"} of that standard's home page}; the site's own root page
    under None, for a standard it is not live in."""

    def compute():
        site = Site.find_for_request(request)
        if site is None:
            return {}
        homes = site.root_page.get_translations(inclusive=True).live().select_related("locale")
        found = {home.locale.language_code: home for home in homes}
        found[None] = site.root_page
        return {
            code: {"url": home.get_url(request), "path": home.path} for code, home in found.items()
        }

    return content_cache.cached_for_site(request, "home-pages", compute)


def _home_urls(request):
    """{language code: URL of that standard's home page}."""
    return {code: home["url"] for code, home in _homes(request).items() if code}


def _twin_urls(request, page):
    """{language code: URL of page in that standard}, for the standards it is live in."""

    def compute():
        twins = page.get_translations(inclusive=True).live().select_related("locale")
        return {twin.locale.language_code: twin.get_url(request) for twin in twins}

    return content_cache.cached_for_site(request, "twins", compute, page.pk)


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in each written standard: its twin when translated, else that home page."""
    request = context["request"]
    page = context.get("page")
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    twins = _twin_urls(request, page) if isinstance(page, Page) else {}
    current = get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        if code in twins:
            # A routable page's route (the same words in both standards) follows the twin.
            url = twins[code] + context.get("subpage_path", "") + query
        elif page is None:
            url = translate_url(request.get_full_path(), code)
            if url == request.get_full_path() and code != current:
                # A path without a language prefix (the lockout page on the admin's login) has
                # no twin: the other standard's front page is where that standard begins.
                url = _home_urls(request).get(code, f"/{code}/")
        else:
            url = _home_urls(request).get(code, f"/{code}/")
        versions.append(
            {"code": code, "name": LANGUAGE_NAMES[code], "url": url, "current": code == current}
        )
    return versions


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    language = get_language()

    def compute():
        homes = _homes(request)
        home = homes.get(language) or homes.get(None)
        if home is None:
            return []
        # The home page's public children by its cached path, in one query.
        path = home["path"]
        children = Page.objects.filter(
            unrestricted(), path__startswith=path, depth=len(path) // Page.steplen + 1
        )
        return [
            {"title": item.title, "url": item.get_url(request), "url_path": item.url_path}
            for item in children.live().in_menu().order_by("path")
        ]

    current = context.get("page")
    return {
        "items": content_cache.cached_for_site(request, "menu", compute, language),
        "current_path": current.url_path if isinstance(current, Page) else "",
    }


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    """Contact details and the footer links, each page in the visitor's standard."""
    request = context["request"]
    language = get_language()

    def compute():
        site = Site.find_for_request(request)
        if site is None:  # a host no site serves gets its 404 page without contact details
            return {}
        contact = SiteSettings.for_site(site)
        links = localized_pages([contact.accessibility_page_id, contact.privacy_page_id], language)
        accessibility, privacy = (
            links.get(pk) for pk in (contact.accessibility_page_id, contact.privacy_page_id)
        )
        return {
            "organisation": contact.organisation,
            "address": contact.address,
            "phone": contact.phone,
            "email": contact.email,
            # The statement on uustatus.no, which public bodies must publish, before our page.
            "accessibility_url": contact.accessibility_statement_url
            or (accessibility and accessibility.get_url(request)),
            "privacy_url": privacy and privacy.get_url(request),
        }

    return {"contact": content_cache.cached_for_site(request, "footer", compute, language)}


@register.simple_tag(takes_context=True)
def localized(context, page):
    """page in the visitor's written standard (itself when it has no live translation), read
    once per content version: link cards and study offers each name a page."""
    request = context.get("request")
    if page is None or request is None:
        return page and page.localized
    language = get_language()
    return content_cache.cached_for_site(
        request,
        "localized",
        lambda: localized_pages([page.pk], language)[page.pk],
        page.pk,
        language,
    )


@register.simple_tag(takes_context=True)
def localized_home(context):
    """The URL of the home page in the active standard."""
    language = get_language()
    return _home_urls(context["request"]).get(language, f"/{language}/")


@register.simple_tag
def page_numbers(page_obj):
    """The page numbers worth a link: the ends and the neighbours, with gaps between."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
