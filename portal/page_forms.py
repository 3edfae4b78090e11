"""The admin form of every portal page."""

from wagtail.admin.forms import WagtailAdminPageForm

from .text import transliterate


class BasePageForm(WagtailAdminPageForm):
    def clean_slug(self):
        # The slug is spelt in ASCII before Wagtail checks that no sibling has it, so a clash
        # ("verktøy" beside "verktoy") is the editor's form error, not a failed save.
        return transliterate(self.cleaned_data["slug"])
