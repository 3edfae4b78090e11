import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from katalog.places.models import Municipality
from portal.forms import CheckboxField, CitizenForm, DesignsystemetFormMixin

from .models import DeliveryMode, Enrolment, Evaluation
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
    available = CheckboxField(label=_("Only sessions with free seats"), required=False)

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


# Stored with every enrolment beside the time of consent; change it whenever the text changes.
CONSENT_VERSION = "2026-12-02"


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def consent_text():
    return _(
        "I agree that the course provider stores what I write here, and only uses it for this "
        "course. My name, contact details and special needs are deleted %(months)s months after "
        "the session has ended."
    ) % {"months": settings.ENROLMENT_RETENTION_MONTHS}


class EnrolmentForm(DesignsystemetFormMixin, CitizenForm, forms.ModelForm):
    """The participant's enrolment; server-side validation, errors in the visitor's standard."""

    employer = MunicipalityChoiceField(
        queryset=Municipality.objects.order_by("name_nb"),
        to_field_name="number",
        label=_("Employer"),
        required=False,
        empty_label=_("Another employer (write it below)"),
        help_text=_("Choose your municipality, or write the name of your organisation below."),
        error_messages={"invalid_choice": _("Choose a municipality from the list.")},
    )
    consent = CheckboxField(
        error_messages={"required": _("Give your consent so that we can store your enrolment.")},
    )

    class Meta:
        model = Enrolment
        fields = [
            "name",
            "email",
            "phone",
            "employer",
            "employer_other",
            "job_title",
            "manager_email",
            "special_needs",
        ]
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "phone": _("Phone (optional)"),
            "employer_other": _("Other employer"),
            "job_title": _("Job title (optional)"),
            "manager_email": _("Your line manager's email"),
            "special_needs": _("Special needs (optional)"),
        }
        help_texts = {
            "email": _("We send the confirmation and a link to your enrolment here."),
            "employer_other": _("Only if your employer is not a municipality in the list."),
            "special_needs": _("For example food, allergies or accessibility."),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "email": {
                "required": _("Enter your email address."),
                "invalid": _("Enter an email address like name@example.no."),
            },
            "manager_email": {"invalid": _("Enter an email address like name@example.no.")},
        }
        widgets = {"special_needs": forms.Textarea(attrs={"rows": 3})}

    autocomplete = {
        "name": "name",
        "email": "email",
        "phone": "tel",
        "employer_other": "organization",
        "job_title": "organization-title",
    }

    def __init__(self, *args, manager_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text()
        manager = self.fields["manager_email"]
        manager.required = manager_required
        if manager_required:
            manager.help_text = _("This course needs your line manager's approval.")
            manager.error_messages["required"] = _("Enter your line manager's email address.")
        else:
            manager.label = _("Your line manager's email (optional)")

    def clean_email(self):
        """The address in lower case, so that one person's two spellings are one enrolment.

        The duplicate check (`email__iexact`, the `Lower("email")` constraint) cannot be left to
        the database: SQLite's lower() folds only ASCII, so "kari@ÆØÅ.no" and "kari@æøå.no"
        were two. Local parts are case-insensitive at every mail service people enrol from.
        """
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        municipality, other = cleaned.get("employer"), (cleaned.get("employer_other") or "")
        if "employer" not in self.errors:
            if not municipality and not other.strip():
                self.add_error(
                    "employer", _("Choose your municipality, or write the name of your employer.")
                )
            elif municipality and other.strip():
                self.add_error(
                    "employer_other",
                    _("Choose a municipality or write another employer, not both."),
                )
        return cleaned

    def cleaned_data_for_enrolment(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


EVALUATION_TEXT_LENGTH = 4000

SCORE_CHOICES = [
    (1, _("1 – not at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very")),
]


def score_field(label, help_text, required_message):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose a number from 1 to 5."),
        },
    )


def text_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=EVALUATION_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write at most %(limit_value)s characters.")},
    )


class EvaluationForm(DesignsystemetFormMixin, forms.ModelForm):
    """The participant's answer to the course evaluation: two scores, two optional texts."""

    usefulness = score_field(
        _("How useful was the course for you?"),
        _("1 is not useful at all, 5 is very useful."),
        _("Choose how useful the course was, from 1 to 5."),
    )
    relevance = score_field(
        _("How relevant is the course for your work?"),
        _("1 is not relevant at all, 5 is very relevant."),
        _("Choose how relevant the course is for your work, from 1 to 5."),
    )
    improvements = text_field(_("What could be better? (optional)"))
    comment = text_field(_("Other comments (optional)"))

    class Meta:
        model = Evaluation
        fields = ["usefulness", "relevance", "improvements", "comment"]

    def answers(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
