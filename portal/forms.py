"""Designsystemet markup for every public form, rendered the Django way.

Django computes `aria-invalid` and `aria-describedby` itself, naming the ids that
`templates/includes/forms/field.html` gives the error (`<auto_id>_error`) and the help text
(`<auto_id>_helptext`); this module adds only the Designsystemet class and the templates.
"""

import re

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class DesignsystemetBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        # Widget attrs lose to these, so a class the form sets on a widget is left alone. First
        # in the dict, so the class comes first in the rendered tag.
        if widget.is_hidden or "class" in widget.attrs:
            return attrs
        return {"class": "ds-input", **attrs}


class DesignsystemetRenderer(TemplatesSetting):
    """The project's templates (not only Django's own) render the fields."""

    field_template_name = "includes/forms/field.html"
    bound_field_class = DesignsystemetBoundField


class DesignsystemetFormMixin:
    """For a public form: `{{ form.<name>.as_field_group }}` gives a field its whole markup."""

    default_renderer = DesignsystemetRenderer


class Checkbox(forms.CheckboxInput):
    """A checkbox that a hand-written "0", "false" or "off" leaves unticked.

    Django's own takes any value but "false" as ticked: `?available=0` filtered the catalogue
    and `consent=0` gave consent. A browser sends a ticked box's value ("1" here, "on" without
    one) and nothing for an unticked one, so those are the only values that matter to people.
    """

    UNTICKED = ("", "0", "false", "off")

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return False
        value = data.get(name)
        if isinstance(value, str):
            return value.strip().lower() not in self.UNTICKED
        return bool(value)


class CheckboxField(forms.BooleanField):
    widget = Checkbox


# ASCII digits only: `str.isdigit` also takes other scripts' digits ("١٢٣").
PHONE_CHARACTERS = re.compile(r"[0-9 +()-]+")
ASCII_DIGIT = re.compile(r"[0-9]")
COUNTRY_CODE = re.compile(r"^\(?\+47\)?")


class CitizenForm(forms.Form):
    """What the public forms that store a person's details share: the honeypot (`website`,
    hidden from people and screen readers, filled in by bots), the browser's autocomplete hints
    (`autocomplete`: field name to token) and the Norwegian phone number rule."""

    website = forms.CharField(label=_("Leave this field empty"), required=False)
    autocomplete = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in self.autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self):
        return bool(self.data.get(self.add_prefix("website")))

    def clean_phone(self):
        """8 to 12 digits, maybe after (+47), with spaces, hyphens and parentheses between."""
        phone = self.cleaned_data["phone"].strip()
        digits = ASCII_DIGIT.findall(COUNTRY_CODE.sub("", phone))
        if phone and not (PHONE_CHARACTERS.fullmatch(phone) and 8 <= len(digits) <= 12):
            raise forms.ValidationError(_("Enter a phone number like 55 55 55 55."))
        return phone
