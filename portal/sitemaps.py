from collections import defaultdict
from functools import cached_property

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page


class TwinSitemap(Sitemap):
    """Every live public page in both written standards, each naming its twins with hreflang.

    Wagtail's own sitemap walks the descendants of the site's root page, the bokmål home page;
    the nynorsk tree is a sibling of it (its translation), so the items here start from every
    translation of the root.
    """

    @cached_property
    def _pages(self):
        # A list, not a queryset: Django's paginator is built anew for each access and would
        # otherwise query the pages again, and the twins are found among the same pages.
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_site = Q()
        for root in roots:
            in_site |= Q(path__startswith=root.path)
        # Each page as its own type (a type may add URLs of its own) with only the fields every
        # page has loaded: one query, not one for each page type.
        return list(
            Page.objects.filter(in_site).live().public().order_by("path").specific(defer=True)
        )

    def items(self):
        return self._pages

    @cached_property
    def _twins(self):
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        twins = defaultdict(list)
        for page in self._pages:
            twins[page.translation_key].append(
                {"lang_code": languages[page.locale_id], "location": self.location(page)}
            )
        return twins

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list:
            twins = self._twins[item.translation_key]
            for url_info in item.get_sitemap_urls(self.request):
                # A page alone in its standard has no alternate to name.
                url_info["alternates"] = twins if len(twins) > 1 else []
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
