from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from portal.models import BasePage

from .guidance_blocks import SelfAssessmentThemeBlock

# The scale every statement is rated on: (value, label). Kept in code so that summaries stay
# comparable between centres.
SCALE = [
    (1, _("Not at all")),
    (2, _("A little")),
    (3, _("Quite well")),
    (4, _("Very well")),
]


class SelfAssessmentPage(BasePage):
    """A self-assessment of prior learning (realkompetanse): themes of statements to rate."""

    themes = StreamField(
        [("theme", SelfAssessmentThemeBlock())], verbose_name=_("themes"), min_num=1
    )

    content_panels = BasePage.content_panels + [FieldPanel("themes")]
    parent_page_types = ["katalog.GuidanceIndexPage"]
    subpage_types = []

    def serve(self, request, *args, **kwargs):
        from katalog.guidance_views import self_assessment

        return self_assessment(request, self)

    class Meta:
        verbose_name = _("self-assessment")
