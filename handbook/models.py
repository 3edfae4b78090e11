from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from portal.blocks import BaseStreamBlock, heading_anchor
from portal.models import BasePage


class HandbookPage(RoutablePageMixin, BasePage):
    """A handbook: a foreword and its chapters, in the order editors give them in the tree
    (views in handbook/views.py)."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("foreword"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["handbook.ChapterPage"]

    def chapters(self):
        return ChapterPage.objects.child_of(self).live().public().order_by("path")

    @path("")
    def contents(self, request):
        return self.serve_route("", request)

    # The same words in nb and nn.
    @path("skriv-ut/")
    def whole(self, request):
        return self.serve_route("whole", request)

    class Meta:
        verbose_name = _("handbook")


class ChapterPage(BasePage):
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["handbook.HandbookPage"]
    subpage_types = []

    def sections(self):
        """(anchor, text) of the chapter's level-2 headings, for its table of contents."""
        return [
            (heading_anchor(block.value["text"]), block.value["text"])
            for block in self.body
            if block.block_type == "heading" and block.value["level"] == "h2"
        ]

    class Meta:
        verbose_name = _("handbook chapter")
        verbose_name_plural = _("handbook chapters")
