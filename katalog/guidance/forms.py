from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from katalog.places.models import Municipality
from portal.forms import CheckboxField, CitizenForm, DesignsystemetFormMixin

from .blocks import SCALE
from .models import GuidanceRequest


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def municipality_field(**kwargs):
    return MunicipalityChoiceField(
        queryset=Municipality.objects.order_by("name_nb"),
        to_field_name="number",
        label=_("Municipality"),
        empty_label=_("Choose your municipality"),
        **kwargs,
    )


# Stored with every request beside the time of consent; change it whenever the text changes.
CONSENT_VERSION = "2026-12-02"


def consent_text():
    return _(
        "I agree that the centre stores what I write here, and only uses it to answer my "
        "request. My name, contact details and message are deleted %(closed)s days after the case "
        "is closed, or %(open)s days after its last change if nobody closes it."
    ) % {
        "closed": settings.GUIDANCE_REQUEST_RETENTION_DAYS,
        "open": settings.GUIDANCE_REQUEST_OPEN_DAYS,
    }


class GuidanceRequestForm(DesignsystemetFormMixin, CitizenForm, forms.ModelForm):
    """What a citizen sends; server-side validation, errors in the visitor's standard."""

    municipality = municipality_field(
        error_messages={
            "required": _("Choose the municipality you live in."),
            "invalid_choice": _("Choose a municipality from the list."),
        }
    )
    topic = forms.ChoiceField(
        label=_("What do you want guidance about?"),
        choices=GuidanceRequest.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want guidance about.")},
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=GuidanceRequest.ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should contact you.")},
    )
    contact_time = forms.ChoiceField(
        label=_("When is it best to contact you?"),
        choices=GuidanceRequest.ContactTime.choices,
        widget=forms.RadioSelect,
        initial=GuidanceRequest.ContactTime.ANY,
        error_messages={"required": _("Choose when we should contact you.")},
    )
    consent = CheckboxField(
        error_messages={"required": _("Give your consent so that we can store your request.")},
    )

    class Meta:
        model = GuidanceRequest
        fields = GuidanceRequest.SUBMITTED_FIELDS
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "phone": _("Phone"),
            "message": _("Tell us briefly what you want help with"),
        }
        help_texts = {
            "email": _("Give an email address, a phone number or both."),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "email": {"invalid": _("Enter an email address like name@example.no.")},
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}

    autocomplete = {"name": "name", "email": "email", "phone": "tel"}

    def __init__(self, *args, with_self_assessment=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text()
        self.fields["message"].required = False
        if with_self_assessment:
            self.fields["send_self_assessment"] = forms.BooleanField(
                label=_("Send my self-assessment with the request"), required=False
            )

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        if not email and not phone and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("email", _("Give an email address or a phone number."))
        method = cleaned.get("contact_method")
        if method == GuidanceRequest.ContactMethod.EMAIL and phone and not email:
            self.add_error("contact_method", _("Give an email address, or choose phone."))
        if method == GuidanceRequest.ContactMethod.PHONE and email and not phone:
            self.add_error("contact_method", _("Give a phone number, or choose email."))
        return cleaned


class SelfAssessmentForm(DesignsystemetFormMixin, forms.Form):
    """One radio group per statement of the page's themes."""

    def __init__(self, page, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = []
        for theme_index, theme in enumerate(page.themes):
            if theme.block_type != "theme":
                continue
            names = []
            for index, question in enumerate(theme.value["questions"]):
                name = f"q{theme_index}_{index}"
                self.fields[name] = forms.TypedChoiceField(
                    label=question,
                    choices=SCALE,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose an answer for this statement.")},
                )
                names.append(name)
            self.themes.append((theme, names))

    def theme_fields(self):
        return [(theme, [self[name] for name in names]) for theme, names in self.themes]

    def summary(self):
        """[(theme title, [(statement, answer label)])] from valid data."""
        labels = dict(SCALE)
        return [
            (
                theme.value["title"],
                [(self.fields[n].label, str(labels[self.cleaned_data[n]])) for n in names],
            )
            for theme, names in self.themes
        ]


def summary_as_text(summary):
    lines = []
    for title, answers in summary:
        lines.append(str(title))
        lines.extend(f"- {statement}: {answer}" for statement, answer in answers)
        lines.append("")
    return "\n".join(lines).strip()
