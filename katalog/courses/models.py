from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from katalog.places.models import Municipality
from portal.blocks import BaseStreamBlock
from portal.models import BasePage, BilingualNameMixin
from portal.scoping import ScopedLogEntry

from .page_forms import CoursePageForm


class Category(BilingualNameMixin):
    """A subject area of the catalogue (leadership, health, school, ...)."""

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the catalogue's URLs."))

    panels = [*BilingualNameMixin.panels, FieldPanel("slug")]

    class Meta:
        ordering = ["name_nb"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Audience(BilingualNameMixin):
    """A target group of employees (leaders, health workers, teachers, ...)."""

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the catalogue's URLs."))

    panels = [*BilingualNameMixin.panels, FieldPanel("slug")]

    class Meta:
        ordering = ["name_nb"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Provider(models.Model):
    """Who runs a course; its organisers' group sees its courses' participants and no others.

    An access rule as much as a name: it has its own model permissions (by default only
    superusers hold them), so whoever may edit a course page cannot give its participants to
    another group. The name is a proper name, the same in nb and nn.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    organisers = models.ForeignKey(
        "auth.Group",
        verbose_name=_("organiser group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_providers",
        help_text=_("Members see and manage the participants of this provider's courses."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("course provider")
        verbose_name_plural = _("course providers")

    def __str__(self):
        return self.name


class DeliveryMode(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ONLINE = "online", _("Online")
    ELEARNING = "elearning", _("E-learning")
    BLENDED = "blended", _("Blended")


class CourseIndexPage(BasePage):
    """The course catalogue (one per locale): upcoming sessions with filters and facet counts."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(RoutablePageMixin, BasePage):
    """A regional course; its sessions are edited inline and follow it into every translation."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("target groups"), related_name="courses"
    )
    mode = models.CharField(
        _("delivery mode"), max_length=20, choices=DeliveryMode.choices, db_index=True
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="courses"
    )
    price = models.PositiveIntegerField(
        _("price per participant (NOK)"),
        default=0,
        help_text=_("The municipalities' own contribution at cost price; 0 means free."),
    )
    learning_outcomes = RichTextField(
        _("learning outcomes"), blank=True, features=["bold", "italic", "ul", "ol", "link"]
    )
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    manager_approval_required = models.BooleanField(
        _("line manager's approval required"),
        default=False,
        help_text=_("Enrolment waits for the participant's line manager to approve it."),
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audiences"),
                FieldPanel("mode"),
                FieldPanel("provider"),
                FieldPanel("price"),
                FieldPanel("manager_approval_required"),
            ],
            heading=_("Facts"),
        ),
        FieldPanel("body"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact"),
        ),
        InlinePanel("sessions", heading=_("Sessions"), label=_("session")),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("learning_outcomes"),
        index.RelatedFields("provider", [index.SearchField("name")]),
        index.FilterField("provider"),
        index.FilterField("mode"),
        index.FilterField("category"),
    ]
    # A phone number reads the same in nb and nn.
    override_translatable_fields = [SynchronizedField("contact_phone")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []
    base_form_class = CoursePageForm

    # The enrolment routes (views in katalog/courses/views.py); the same words in nb and nn.
    @path("")
    def detail(self, request):
        return self.serve_route("", request)

    @path("pamelding/<uuid:session_key>/")
    def enrolment_form(self, request, session_key):
        return self.serve_route("enrolment_form", request, session_key)

    @path("pamelding/<uuid:session_key>/resultat/")
    def enrolment_outcome(self, request, session_key):
        return self.serve_route("enrolment_outcome", request, session_key)

    @path("pamelding/<uuid:session_key>/send-lenke/")
    def enrolment_resend(self, request, session_key):
        return self.serve_route("enrolment_resend", request, session_key)

    @path("pamelding/endre/<slug:token>/")
    def enrolment_manage(self, request, token):
        return self.serve_route("enrolment_manage", request, token)

    @path("pamelding/godkjenning/<slug:token>/")
    def enrolment_approval(self, request, token):
        return self.serve_route("enrolment_approval", request, token)

    @path("pamelding/evaluering/<slug:token>/")
    def enrolment_evaluation(self, request, token):
        return self.serve_route("enrolment_evaluation", request, token)

    class Meta:
        verbose_name = _("course")


class SessionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("session status", "Open")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")


class CourseSession(TranslatableMixin, Orderable):
    """One run of a course with dates and a place.

    The nb and nn copies of a session share `translation_key` (wagtail-localize keeps their
    primary keys on every sync); the feeds use it as the session's id. Enrolments belong to the
    source-language copy; `seats_taken` is the count of those holding a seat, which the
    enrolment service keeps on every copy of the session.
    """

    # Indexed first in courses_session_course.
    page = ParentalKey(
        CoursePage, on_delete=models.CASCADE, related_name="sessions", db_index=False
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    enrolment_deadline = models.DateTimeField(_("enrolment deadline"))
    online = models.BooleanField(_("online"), default=False)
    venue_name = models.CharField(_("venue"), max_length=255, blank=True)
    venue_address = models.CharField(_("address"), max_length=255, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_sessions",
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("enrolment_deadline")]),
        FieldPanel("online"),
        FieldRowPanel(
            [FieldPanel("venue_name"), FieldPanel("venue_address"), FieldPanel("municipality")]
        ),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("status")]),
    ]
    # Venues are proper names: the same in both written standards.
    override_translatable_fields = [
        SynchronizedField("venue_name"),
        SynchronizedField("venue_address"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            # The catalogue's unfiltered counts read every upcoming session of a locale; on
            # PostgreSQL they (and the page's ids) then read this index alone.
            models.Index(
                fields=["locale", "start"],
                include=[
                    "id",
                    "page",
                    "municipality",
                    "status",
                    "enrolment_deadline",
                    "capacity",
                    "seats_taken",
                ],
                name="courses_session_upcoming",
            ),
            # The catalogue narrows sessions to the courses it found, then by municipality and
            # date; on PostgreSQL the counts and the page then read this index alone.
            models.Index(
                fields=["page", "municipality", "start"],
                include=["id", "locale", "enrolment_deadline", "seats_taken", "capacity", "status"],
                name="courses_session_course",
            ),
            # The moments enrolment closes in the coming hour, which end the cached counts.
            models.Index(fields=["locale", "enrolment_deadline"], name="courses_session_deadline"),
        ]

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The session cannot end before it starts.")
        if self.start and self.enrolment_deadline and self.enrolment_deadline > self.start:
            errors["enrolment_deadline"] = _("The enrolment deadline must be before the start.")
        if not self.online and not self.municipality_id:
            errors["municipality"] = _("Choose the municipality, or mark the session as online.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def course(self):
        """The course's title, URLs, mode and price; the catalogue sets its cached facts here."""
        return self.page

    @property
    def free_seats(self):
        return max(self.capacity - self.seats_taken, 0)

    def __str__(self):
        return f"{self.page.title} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"


class EnrolmentState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", pgettext_lazy("enrolment state", "Awaiting approval")
    CONFIRMED = "confirmed", pgettext_lazy("enrolment state", "Confirmed")
    WAITING = "waiting", pgettext_lazy("enrolment state", "On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("enrolment state", "Cancelled")
    ATTENDED = "attended", pgettext_lazy("enrolment state", "Attended")
    NO_SHOW = "no_show", pgettext_lazy("enrolment state", "Did not show up")


# One email holds at most one of these per session.
ACTIVE_STATES = (
    EnrolmentState.AWAITING_APPROVAL,
    EnrolmentState.CONFIRMED,
    EnrolmentState.WAITING,
)
# The enrolments counted in `CourseSession.seats_taken`. A request awaiting the line manager's
# approval holds its seat until the manager decides or the hold runs out (`approval_expires_at`);
# attendance is marked after the start, so a participant who came (or did not) keeps the seat.
SEAT_STATES = (
    EnrolmentState.AWAITING_APPROVAL,
    EnrolmentState.CONFIRMED,
    EnrolmentState.ATTENDED,
    EnrolmentState.NO_SHOW,
)


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All for superusers, else the enrolments in courses of the providers whose organiser
        group the user is in."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(session__page__provider__organisers__in=user.groups.all())


class Enrolment(models.Model):
    """A person's place (or wait for one) in a course session; the services own its state."""

    # PROTECT: a session with enrolments is cancelled, never removed (CoursePageForm says so).
    session = models.ForeignKey(
        CourseSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.CONFIRMED
    )
    created_at = models.DateTimeField(_("enrolled"), default=timezone.now, editable=False)
    state_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    language = models.CharField(_("written standard"), max_length=2, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    employer = models.ForeignKey(
        Municipality,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_other = models.CharField(
        _("other employer"),
        max_length=200,
        blank=True,
        help_text=_("An employer that is not one of the municipalities."),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    manager_email = models.EmailField(_("line manager's email"), blank=True)
    special_needs = models.TextField(_("special needs"), blank=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    approval_expires_at = models.DateTimeField(
        _("approval hold ends"),
        null=True,
        blank=True,
        help_text=_("A request the line manager has not decided by then gives up its seat."),
    )
    # The moments the scheduled emails are for; a task that finds another moment here (the
    # participant moved, or the session did) was superseded and sends nothing.
    reminder_due_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    evaluation_due_at = models.DateTimeField(_("evaluation request due"), null=True, blank=True)
    evaluation_requested_at = models.DateTimeField(
        _("evaluation request sent"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # Case-insensitive, and only among the living: an anonymised row has no email left.
            models.UniqueConstraint(
                Lower("email"),
                "session",
                condition=models.Q(state__in=ACTIVE_STATES, anonymised_at__isnull=True),
                name="courses_enrolment_one_active_per_email",
            ),
        ]
        indexes = [
            # The seat count and the waiting list, first come first served.
            models.Index(
                fields=["session", "state", "created_at", "id"], name="courses_enrolment_queue"
            ),
        ]

    def __str__(self):
        # Admin titles, log labels and exports show this: it must never carry personal data.
        return _("Enrolment %(number)s – %(course)s") % {
            "number": self.pk,
            "course": self.session.page.title,
        }


class EnrolmentLogEntry(ScopedLogEntry):
    """The admin history of enrolments, scoped like the participants."""

    scoped_model = Enrolment

    class Meta(ScopedLogEntry.Meta):
        verbose_name = _("enrolment log entry")
        verbose_name_plural = _("enrolment log entries")


class Evaluation(models.Model):
    """A participant's answer to the evaluation request; one per enrolment, kept when the
    enrolment is anonymised (it names nobody)."""

    SCORES = [MinValueValidator(1), MaxValueValidator(5)]

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=SCORES)
    relevance = models.PositiveSmallIntegerField(_("relevance for my work"), validators=SCORES)
    improvements = models.TextField(_("what could be better"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(usefulness__range=(1, 5), relevance__range=(1, 5)),
                name="courses_evaluation_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return _("Evaluation %(number)s – %(course)s") % {
            "number": self.pk,
            "course": self.enrolment.session.page.title,
        }
