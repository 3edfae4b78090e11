from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.blocks import BaseStreamBlock
from portal.models import BasePage
from portal.scoping import ScopedLogEntry

from .blocks import SelfAssessmentThemeBlock, StudyOfferBlock


class CentreKind(models.TextChoices):
    CAREER_CENTRE = "career_centre", _("Career centre")
    STUDY_CENTRE = "study_centre", _("Study centre")
    OPUS = "opus", _("OPUS")
    COMPETENCE_OFFICE = "competence_office", _("Regional competence office")
    CAREER_AND_STUDY_CENTRE = "career_and_study_centre", _("Career and study centre")


class Service(models.TextChoices):
    CAREER_GUIDANCE = "career_guidance", _("Career guidance")
    STUDY_GUIDANCE = "study_guidance", _("Study guidance")
    PRIOR_LEARNING = "prior_learning", _("Recognition of prior learning")
    EMPLOYEE_COURSES = "employee_courses", _("Courses for employees")
    DECENTRALISED_EDUCATION = "decentralised_education", _("Decentralised higher education")


class ServiceListField(models.JSONField):
    """A list of `Service` values, edited as checkboxes (no ArrayField: SQLite has none)."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=Service.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class GuidanceIndexPage(RoutablePageMixin, BasePage):
    """Career and study guidance for citizens: the door to the region's centres (one per locale).

    Its routes serve the centre finder (`?municipality=`), the guidance request form and its
    receipt; the views live in katalog/guidance/views.py.
    """

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "guidance.CentrePage",
        "guidance.DecentralisedEducationPage",
        "guidance.SelfAssessmentPage",
    ]
    max_count_per_parent = 1

    @path("")
    def finder(self, request):
        return self.serve_route("finder", request)

    # The same words in bokmål and nynorsk, so one route serves both standards.
    @path("bestill/")
    def request_form(self, request):
        return self.serve_route("request_form", request)

    @path("bestill/kvittering/")
    def receipt(self, request):
        return self.serve_route("receipt", request)

    class Meta:
        verbose_name = _("guidance page")


class CentrePage(BasePage):
    """A career centre, study centre, OPUS or regional competence office."""

    kind = models.CharField(_("kind"), max_length=32, choices=CentreKind.choices)
    services = ServiceListField(_("services offered"), default=list)
    municipalities = ParentalManyToManyField(
        "places.Municipality",
        verbose_name=_("municipalities served"),
        related_name="centres",
        blank=True,
    )
    is_fallback = models.BooleanField(
        _("fallback centre"),
        default=False,
        help_text=_("Receives guidance requests from municipalities that no centre serves."),
    )
    street_address = models.CharField(_("street address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=4)
    post_town = models.CharField(_("post town"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    how_to_book = models.TextField(
        _("how to book"), blank=True, help_text=_("How citizens book a conversation.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("image alternative text"),
        max_length=255,
        blank=True,
        help_text=_("Describe the image for those who cannot see it. Required with an image."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("kind"),
        FieldPanel("services"),
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("is_fallback"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("post_town")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("how_to_book")],
            heading=_("Contact details"),
        ),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("Opening hours")),
        InlinePanel(
            "exception_days",
            heading=_("Exceptions (holidays)"),
            label=_("Exception day"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("post_town"),
        index.FilterField("kind"),
    ]
    # wagtail-localize skips many-to-many fields by default; the served area is the same in nb/nn.
    override_translatable_fields = [
        SynchronizedField("municipalities"),
        SynchronizedField("street_address"),
        SynchronizedField("postcode"),
        SynchronizedField("post_town"),
        SynchronizedField("phone"),
    ]
    parent_page_types = ["guidance.GuidanceIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image in an alternative text.")})

    @property
    def service_labels(self):
        return [Service(value).label for value in self.services if value in Service.values]

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")


class OpeningHours(Orderable):
    """One opening period of a weekday; two rows for a day with a lunch break."""

    page = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class ExceptionDay(Orderable):
    """A date with other hours than the weekday's, or closed (no times), such as a holiday."""

    page = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="exception_days")
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("E.g. Easter."))

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("opens"), FieldPanel("closes")]),
        FieldPanel("note"),
    ]

    @property
    def is_closed(self):
        return self.opens is None or self.closes is None

    def clean(self):
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(_("Give both times, or neither for a closed day."))
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})

    class Meta(Orderable.Meta):
        verbose_name = _("exception day")
        verbose_name_plural = _("exception days")


class DecentralisedEducationPage(BasePage):
    """Study offers that the centres facilitate locally (decentralised higher education)."""

    offers = StreamField([("offer", StudyOfferBlock())], verbose_name=_("study offers"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("offers"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("offers"),
        index.SearchField("body"),
    ]
    parent_page_types = ["guidance.GuidanceIndexPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("decentralised education page")


class SelfAssessmentPage(BasePage):
    """A self-assessment of prior learning (realkompetanse): themes of statements to rate."""

    themes = StreamField(
        [("theme", SelfAssessmentThemeBlock())], verbose_name=_("themes"), min_num=1
    )

    content_panels = BasePage.content_panels + [FieldPanel("themes")]
    parent_page_types = ["guidance.GuidanceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("self-assessment")


def _source_language_centres():
    return {"locale__language_code": settings.LANGUAGE_CODE}


class CentreAccess(models.Model):
    """Which group reads a centre's guidance requests, in both written standards.

    An access rule, not page content: it has its own model permissions (by default only
    superusers hold them), so whoever may publish a centre page cannot redirect its requests.
    """

    centre = models.OneToOneField(
        "guidance.CentrePage",
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="access",
        limit_choices_to=_source_language_centres,
    )
    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("staff group"),
        on_delete=models.CASCADE,
        related_name="centre_access",
        help_text=_("Members see this centre's guidance requests and get their notifications."),
    )

    class Meta:
        ordering = ["centre__title"]
        verbose_name = _("centre access")
        verbose_name_plural = _("centre access")

    def __str__(self):
        return f"{self.centre.title} – {self.group.name}"

    @classmethod
    def group_of(cls, centre):
        """The staff group of a centre page of either standard, or None."""
        access = (
            cls.objects.select_related("group")
            .filter(centre__translation_key=centre.translation_key)
            .first()
        )
        return access.group if access else None


class GuidanceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All for superusers, else the requests of the centres whose staff group they are in."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        keys = CentreAccess.objects.filter(group__in=user.groups.all())
        return self.filter(centre__translation_key__in=keys.values("centre__translation_key"))


class GuidanceRequest(models.Model):
    """A citizen's request for guidance, routed to the centre that serves their municipality."""

    # What the citizen fills in: the public form, the admin's inspect view and export share it.
    SUBMITTED_FIELDS = (
        "name",
        "email",
        "phone",
        "municipality",
        "topic",
        "contact_method",
        "contact_time",
        "message",
    )

    class Topic(models.TextChoices):
        CAREER = "career", _("Career")
        STUDY = "study", _("Studies")
        PRIOR_LEARNING = "prior_learning", _("Prior learning")
        OTHER = "other", _("Something else")

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    class ContactTime(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Before noon")
        AFTERNOON = "afternoon", _("After noon")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("guidance request status", "New")
        CONTACTED = "contacted", pgettext_lazy("guidance request status", "Contacted")
        CLOSED = "closed", pgettext_lazy("guidance request status", "Closed")

    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    language = models.CharField(_("written standard"), max_length=2, choices=settings.LANGUAGES)
    centre = models.ForeignKey(
        "guidance.CentrePage",
        verbose_name=_("centre"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="guidance_requests",
    )
    routed_to_fallback = models.BooleanField(_("sent to the fallback centre"), default=False)
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    topic = models.CharField(_("what it is about"), max_length=20, choices=Topic.choices)
    contact_method = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactMethod.choices
    )
    contact_time = models.CharField(
        _("preferred time"), max_length=10, choices=ContactTime.choices, default=ContactTime.ANY
    )
    message = models.TextField(_("message"), blank=True)
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    expiry_warned_at = models.DateTimeField(_("staff warned of expiry"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)

    objects = GuidanceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("guidance request")
        verbose_name_plural = _("guidance requests")

    def __str__(self):
        # Admin titles, log labels and exports show this: it must never carry personal data.
        return _("Request %(number)s – %(topic)s") % {
            "number": self.pk,
            "topic": self.get_topic_display(),
        }


class GuidanceRequestLogEntry(ScopedLogEntry):
    """The admin history of guidance requests, scoped like the inbox."""

    scoped_model = GuidanceRequest

    class Meta(ScopedLogEntry.Meta):
        verbose_name = _("guidance request log entry")
        verbose_name_plural = _("guidance request log entries")
