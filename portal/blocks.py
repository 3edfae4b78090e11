"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .text import slugify_nb


def heading_anchor(text):
    """The id of a heading, for links to it: «Mål og indikatorar» -> "mal-og-indikatorar"."""
    return slugify_nb(text) or "del"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"))
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading; start with level 2 under the page title.")
        preview_value = {"text": "Kva kan karrieresenteret hjelpe deg med?", "level": "h2"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = heading_anchor(value["text"])
        # A page shown inside another (a chapter in the whole handbook) sits a level lower.
        shift = parent_context.get("heading_shift", 0) if parent_context else 0
        context["tag"] = f"h{min(int(value['level'][1:]) + shift, 6)}"
        return context


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Paragraph")
        description = _("Running text with links, lists and emphasis.")
        preview_value = "<p>Karriererettleiing er gratis og ope for alle over 19 år i fylket.</p>"


class CaptionedImageBlock(ImageBlock):
    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")
        description = _("An image with alternative text for screen readers.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A quotation, with who said it.")
        preview_value = {
            "text": "Samtalen gav meg mot til å søkje fagbrev.",
            "attribution": "Deltakar, Sogndal",
        }


class LinkCardBlock(blocks.StructBlock):
    """A card that leads to another page; its title and text default to the page's own."""

    page = blocks.PageChooserBlock(label=_("Page"))
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.TextBlock(label=_("Text"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/link_card_block.html"
        label = _("Link card")
        description = _("A card that leads to another page on the portal.")
        preview_value = {
            "title": "Finn eit kurs",
            "text": "Regionale kurs for tilsette i kommunane.",
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    link_card = LinkCardBlock()
