"""The steps of a learning path: a resource of the library or a course of the catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ResourceStepBlock(blocks.StructBlock):
    resource = blocks.PageChooserBlock(label=_("Resource"), page_type="elearning.ResourcePage")
    note = blocks.TextBlock(
        label=_("Why this step"),
        required=False,
        help_text=_("One or two sentences on what the learner gets from it."),
    )

    class Meta:
        icon = "doc-full"
        template = "elearning/blocks/step_block.html"
        label = _("Resource")
        description = _("A resource from the e-learning library.")
        preview_value = {"note": "Ta modulen i løpet av den første veka."}


class CourseStepBlock(blocks.StructBlock):
    # Named by label: the library does not import the catalogue (pyproject's contracts).
    course = blocks.PageChooserBlock(label=_("Course"), page_type="courses.CoursePage")
    note = blocks.TextBlock(
        label=_("Why this step"),
        required=False,
        help_text=_("One or two sentences on what the learner gets from it."),
    )

    class Meta:
        icon = "date"
        template = "elearning/blocks/step_block.html"
        label = _("Course")
        description = _("A course from the catalogue; the path shows its next session.")
        preview_value = {"note": "Meld deg på når leiaren din har godkjent det."}


class LearningPathStepsBlock(blocks.StreamBlock):
    resource = ResourceStepBlock()
    course = CourseStepBlock()
