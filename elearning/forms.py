from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DesignsystemetFormMixin

from .models import Licence, ResourceFormat
from .services import LANGUAGE_OPTIONS, LibraryFilters


class LibraryFilterForm(DesignsystemetFormMixin, forms.Form):
    """The library's GET filters; an invalid value is reported and left out of the search."""

    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("There is no category called %(value)s.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", "")] + ResourceFormat.choices,
        error_messages={"invalid_choice": _("There is no format called %(value)s.")},
    )
    audience = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        error_messages={"invalid_choice": _("There is no target group called %(value)s.")},
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        choices=[("", "")] + Licence.choices,
        error_messages={"invalid_choice": _("There is no licence called %(value)s.")},
    )
    language = forms.ChoiceField(
        label=_("Available in"),
        required=False,
        choices=[("", "")] + [(option.value, option.label) for option in LANGUAGE_OPTIONS],
        error_messages={"invalid_choice": _("There is no written standard called %(value)s.")},
    )

    def __init__(self, data, categories, audiences):
        super().__init__(data)
        self.fields["category"].choices = [("", "")] + [(c.slug, c.name) for c in categories]
        self.fields["audience"].choices = [("", "")] + [(a.slug, a.name) for a in audiences]

    def filters(self):
        """The valid part of the submitted filters."""
        self.is_valid()
        data = self.cleaned_data
        return LibraryFilters(
            **{name: data.get(name) or "" for name in LibraryFilters.__annotations__}
        )
