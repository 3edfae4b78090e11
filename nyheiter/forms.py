from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import CitizenForm, DesignsystemetFormMixin

STANDARDS = [("nb", _("Bokmål")), ("nn", _("Nynorsk"))]


class SubscribeForm(DesignsystemetFormMixin, CitizenForm):
    """The newsletter's sign-up: an address and the written standard to receive it in."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.no."),
        },
    )
    language = forms.ChoiceField(
        label=_("Written standard of the newsletter"),
        choices=STANDARDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose bokmål or nynorsk."),
            "invalid_choice": _("Choose bokmål or nynorsk."),
        },
    )
    autocomplete = {"email": "email"}
