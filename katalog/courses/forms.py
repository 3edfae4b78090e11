import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from portal.forms import DesignsystemetFormMixin

from .models import DeliveryMode
from .search import Filters

# Dates far outside any catalogue overflow the time zone arithmetic; they are reported instead.
EARLIEST_DATE, LATEST_DATE = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


class CatalogueFilterForm(DesignsystemetFormMixin, forms.Form):
    """The catalogue's GET filters; an invalid value is reported and left out of the search."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput)
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        error_messages={"invalid_choice": _("There is no municipality with number %(value)s.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("There is no category called %(value)s.")},
    )
    audience = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        error_messages={"invalid_choice": _("There is no target group called %(value)s.")},
    )
    mode = forms.ChoiceField(
        label=_("Delivery mode"),
        required=False,
        choices=[("", "")] + DeliveryMode.choices,
        error_messages={"invalid_choice": _("There is no delivery mode called %(value)s.")},
    )
    available = forms.BooleanField(label=_("Only sessions with free seats"), required=False)

    def __init__(self, data, municipalities, categories, audiences):
        super().__init__(data)
        for name, label in (("from", _("From date")), ("to", _("To date"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                # The ISO format whatever the language, as a date input's value must be.
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "invalid": _("Enter a date as YYYY-MM-DD, for example 2026-09-01.")
                },
                validators=[
                    MinValueValidator(
                        EARLIEST_DATE, _("Enter a date on or after %(limit_value)s.")
                    ),
                    MaxValueValidator(LATEST_DATE, _("Enter a date on or before %(limit_value)s.")),
                ],
            )
        self.fields["municipality"].choices = [("", "")] + [
            (m.number, m.name) for m in municipalities
        ]
        self.fields["category"].choices = [("", "")] + [(c.slug, c.name) for c in categories]
        self.fields["audience"].choices = [("", "")] + [(a.slug, a.name) for a in audiences]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The to date must be on or after the from date."))
        return cleaned

    def filters(self):
        """The valid part of the submitted filters."""
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            q=(data.get("q") or "").strip(),
            municipality=data.get("municipality") or "",
            category=data.get("category") or "",
            audience=data.get("audience") or "",
            mode=data.get("mode") or "",
            start=data.get("from"),
            end=data.get("to"),
            available=bool(data.get("available")),
        )
