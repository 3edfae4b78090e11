from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from . import page_cache, page_views
from .blocks import BaseStreamBlock, LinkCardBlock
from .page_forms import BasePageForm
from .text import transliterate


def view_restrictions(path):
    """The view restrictions on the page at path and the pages above it, in one query.

    Read from the database on every request, never from the cache: a page made private must
    be refused even if a cached answer were stale (README: Production). Like Wagtail's own, an
    alias among them is restricted as its original is.
    """
    paths = [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]
    originals = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
    return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page__in=originals))


def unrestricted():
    """A filter for pages that no view restriction covers, on them or above them: Wagtail's
    `PageQuerySet.public()` inside the query, where `public()` first reads every restriction."""
    covering = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ~Exists(covering)


def localized_pages(pks, language, pages=None):
    """{pk: the page in language, or the page itself without a live translation}, as Wagtail's
    `Page.localized` has it, for all of them in one query (two queries a page there). pages: the
    queryset they are read from (default every page)."""
    pks = [pk for pk in pks if pk]
    if not pks:
        return {}
    pages = Page.objects.all() if pages is None else pages
    keys = Page.objects.filter(pk__in=pks).values("translation_key")
    rows = pages.filter(
        Q(pk__in=pks) | Q(translation_key__in=keys, locale__language_code=language, live=True)
    ).select_related("locale")
    found = {row.pk: row for row in rows}
    twins = {row.translation_key: row for row in rows if row.locale.language_code == language}
    return {
        pk: twins.get(found[pk].translation_key, found[pk]) if pk in found else None for pk in pks
    }


class BasePage(Page):
    """Fields every public page shares: an intro for the page and for listings, and an image."""

    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("One or two sentences shown under the title and in listings."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("listing_image")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    base_form_class = BasePageForm

    class Meta:
        abstract = True

    def _set_core_field_defaults(self):
        # Wagtail keeps æ, ø and å in slugs (and the admin suggests them from the title), which
        # Norwegians never type in an address. Every validation and save passes through here.
        super()._set_core_field_defaults()
        if self.slug:
            self.slug = transliterate(self.slug)

    def serve(self, request, *args, **kwargs):
        view = page_views.view_for(self)
        if view is not None:
            return view(request, self, *args, **kwargs)
        response = super().serve(request, *args, **kwargs)
        page_cache.allow(response, self)
        return response

    def render(self, request, *args, template=None, context_overrides=None, **kwargs):
        """The page's response with extra context: what views give it (as routable pages do)."""
        context = self.get_context(request, *args, **kwargs)
        context.update(context_overrides or {})
        template = template or self.get_template(request, *args, **kwargs)
        return TemplateResponse(request, template, context)

    def serve_route(self, route, request, *args, **kwargs):
        """A route of a routable page, served by the view registered for it."""
        return page_views.view_for(self, route)(request, self, *args, **kwargs)

    def get_view_restrictions(self):
        return view_restrictions(self.path)


class HomePage(BasePage):
    """The one door: two entry points (citizens, employees), the latest news and more links.

    Each locale has its own home page under the tree root, so no max_count.
    """

    entry_points = StreamField(
        [("link_card", LinkCardBlock())],
        verbose_name=_("entry points"),
        min_num=1,
        max_num=2,
        help_text=_("The two doors: guidance for citizens, courses for employees."),
    )
    more_links = StreamField(
        [("link_card", LinkCardBlock())], verbose_name=_("more links"), blank=True
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("entry_points"),
        FieldPanel("more_links"),
    ]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")


class StandardPage(BasePage):
    """A plain content page: about, accessibility statement, privacy, and the like."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and the footer's legally required links."""

    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    accessibility_statement_url = models.URLField(
        _("accessibility statement on uustatus.no"),
        blank=True,
        help_text=_(
            "The address of the statement the network publishes on uustatus.no, as Norwegian "
            "public bodies must; the footer links to it. Without it, to the page below."
        ),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contact details"),
        ),
        FieldPanel("accessibility_statement_url"),
        FieldPanel("accessibility_page"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("site settings")


class BilingualNameMixin(models.Model):
    """A name in both written standards, for taxonomies that are the same thing in nb and nn."""

    name_nb = models.CharField(_("name (bokmål)"), max_length=255)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=255)

    panels = [FieldPanel("name_nb"), FieldPanel("name_nn")]

    @property
    def name(self):
        return self.name_nn if get_language() == "nn" else self.name_nb

    def __str__(self):
        return self.name

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """When the django-tasks worker last ran its heartbeat task (portal.tasks): one row, read by
    the worker check of /health/ (portal.health). In the database, which the worker needs anyway,
    so an outage of Redis is not also reported as a dead worker."""

    beat_at = models.DateTimeField()
