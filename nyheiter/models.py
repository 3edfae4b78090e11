from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.models import BasePage


class NewsQuerySet(PageQuerySet):
    def latest_in(self, locale, limit):
        return (
            self.live()
            .public()
            .filter(locale=locale)
            .select_related("listing_image")
            .order_by("-date", "-pk")[:limit]
        )


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The news listing (one per locale), and its Atom feed (views in nyheiter/views.py)."""

    PER_PAGE = 12

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["nyheiter.NewsPage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = Paginator(self.news(), self.PER_PAGE).get_page(request.GET.get("page"))
        return context

    def news(self):
        return NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")

    @path("")
    def listing(self, request):
        return self.serve_route("", request)

    @path("feed/")
    def feed(self, request):
        return self.serve_route("feed", request)

    class Meta:
        verbose_name = _("news index")


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    objects = PageManager.from_queryset(NewsQuerySet)()

    content_panels = BasePage.content_panels + [FieldPanel("date"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["nyheiter.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")
