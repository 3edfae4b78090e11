"""StreamField blocks of the guidance pages: study offers and self-assessment themes."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

# The scale every statement is rated on: (value, label). Kept in code so that summaries stay
# comparable between centres.
SCALE = [
    (1, _("Not at all")),
    (2, _("A little")),
    (3, _("Quite well")),
    (4, _("Very well")),
]


class StudyOfferBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    provider = blocks.CharBlock(label=_("Provider"), help_text=_("The university or college."))
    place = blocks.CharBlock(label=_("Place"))
    centre = blocks.PageChooserBlock(
        label=_("Centre"), page_type="guidance.CentrePage", required=False
    )
    description = blocks.TextBlock(label=_("Description"), required=False)
    link = blocks.URLBlock(label=_("Link to admission"), required=False)

    class Meta:
        icon = "doc-full"
        template = "guidance/blocks/study_offer_block.html"
        label = _("Study offer")
        description = _("A study programme that a centre runs locally with a university.")
        preview_value = {
            "title": "Barnehagelærer, deltid",
            "provider": "Høgskulen på Vestlandet",
            "place": "Stord",
            "description": "Samlingsbasert bachelor over fire år.",
        }


class SelfAssessmentThemeBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Theme"))
    intro = blocks.TextBlock(label=_("Intro"), required=False)
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("Question")), label=_("Questions"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        template = "guidance/blocks/self_assessment_theme_block.html"
        label = _("Theme")
        description = _("A group of statements the citizen rates on a scale.")
        preview_value = {
            "title": "Arbeid med menneske",
            "intro": "Tenk på jobbar og verv du har hatt.",
            "questions": ["Eg kan rettleie nye kollegaer."],
        }
