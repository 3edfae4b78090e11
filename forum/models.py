"""Kompetanseforum: from the municipalities' needs to a training plan and its results.

Forum members register needs for their own municipality (or, for an employees' organisation, the
needs they registered themselves); coordinators see them all. A training plan is a page for a
period; its measures are its child pages, ordered by priority as editors order them in the
explorer, each linked to the needs it answers and the courses that deliver it. The results report
is a child page of its plan: its figures come from the portal's data (`services`), only its
commentary is written.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index

from katalog.places.models import Municipality
from portal.blocks import BaseStreamBlock
from portal.models import BasePage
from portal.scoping import ScopedLogEntry

from .page_forms import MeasurePageForm


class ServiceArea(models.TextChoices):
    EDUCATION = "education", _("Kindergarten and school")
    HEALTH_CARE = "health_care", _("Health and care")
    CHILD_WELFARE = "welfare", _("Child welfare and social services")
    TECHNICAL = "technical", _("Technical services")
    ADMINISTRATION = "administration", _("Administration")
    LEADERSHIP = "leadership", _("Leadership")


class NeedKind(models.TextChoices):
    BASIC = "basic", _("Basic competence")
    NEW_EMPLOYEES = "new_employees", _("New employees")
    LEADERSHIP = "leadership", _("Leadership")
    DIGITAL = "digital", _("Digital skills")
    SPECIALIST = "specialist", _("Further and specialist education")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (this year)")
    SOON = "soon", _("Within two years")
    LATER = "later", _("Later")


class ForumMember(models.Model):
    """A user's seat in Kompetanseforum: for one municipality or one employees' organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="forum_member",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.CharField(
        _("employees' organisation"),
        max_length=200,
        blank=True,
        help_text=_("For the representatives of the employees' organisations."),
    )

    class Meta:
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(municipality__isnull=False, organisation="")
                    | (models.Q(municipality__isnull=True) & ~models.Q(organisation=""))
                ),
                name="forum_member_one_municipality_or_organisation",
            )
        ]

    def clean(self):
        if bool(self.municipality_id) == bool(self.organisation):
            raise ValidationError(_("Choose a municipality or name an organisation, not both."))

    def __str__(self):
        return str(self.municipality) if self.municipality_id else self.organisation

    @classmethod
    def of(cls, user):
        """The user's seat in the forum, or None."""
        if user is None or not user.is_authenticated:
            return None
        return cls.objects.filter(user=user).select_related("municipality").first()


def is_coordinator(user):
    """Superusers and the holders of `forum.coordinate` see and prioritise every need."""
    return user.is_active and (user.is_superuser or user.has_perm("forum.coordinate"))


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every need for superusers and coordinators; a municipality's member its own
        municipality's; an organisation's member those they registered."""
        if not user.is_active:
            return self.none()
        if is_coordinator(user):
            return self
        member = ForumMember.of(user)
        if member is None:
            return self.none()
        if member.municipality_id:
            return self.filter(municipality_id=member.municipality_id)
        return self.filter(registered_by=user)


class Need(models.Model):
    """A competence need a municipality reports to Kompetanseforum."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="competence_needs",
    )
    service_area = models.CharField(
        _("service area"), max_length=20, choices=ServiceArea.choices, db_index=True
    )
    target_group = models.CharField(
        _("target group or role"),
        max_length=200,
        help_text=_("For example: assistants in home care, newly qualified teachers."),
    )
    employees_concerned = models.PositiveIntegerField(_("number of employees concerned"))
    kind = models.CharField(_("kind of need"), max_length=20, choices=NeedKind.choices)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.SOON
    )
    description = models.TextField(_("description"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name_nb", "service_area", "id"]
        verbose_name = _("competence need")
        verbose_name_plural = _("competence needs")
        permissions = [("coordinate", _("Can see and prioritise every municipality's needs"))]

    def __str__(self):
        return _("%(target_group)s (%(municipality)s)") % {
            "target_group": self.target_group,
            "municipality": self.municipality,
        }


class NeedLogEntry(ScopedLogEntry):
    """The admin history of needs, scoped like the needs."""

    scoped_model = Need

    class Meta(ScopedLogEntry.Meta):
        verbose_name = _("competence need log entry")
        verbose_name_plural = _("competence need log entries")


class ForumIndexPage(BasePage):
    """Kompetanseforum's page: what it is, and its plans and reports."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["forum.TrainingPlanPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("competence forum page")


class TrainingPlanPage(BasePage):
    """The plan for training measures of one period; its child pages are the measures, in the
    order of priority, and the period's results report."""

    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Period")),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["forum.ForumIndexPage"]
    subpage_types = ["forum.MeasurePage", "forum.ResultsReportPage"]

    class Meta:
        verbose_name = _("training plan")

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("measure status", "Proposed")
    PRIORITISED = "prioritised", pgettext_lazy("measure status", "Prioritised")
    IN_PROGRESS = "in_progress", pgettext_lazy("measure status", "In progress")
    DONE = "done", pgettext_lazy("measure status", "Done")
    DROPPED = "dropped", pgettext_lazy("measure status", "Dropped")


class MeasurePage(BasePage):
    """A measure of the plan: the needs it answers, its goal and effect chain, its indicators,
    and the courses that deliver it."""

    goal = models.TextField(_("goal"))
    # The effect chain, in the handbook's five links.
    chain_input = models.TextField(_("input"), blank=True)
    chain_activities = models.TextField(_("activities"), blank=True)
    chain_products = models.TextField(_("products"), blank=True)
    chain_user_effects = models.TextField(_("effects for users"), blank=True)
    chain_society_effects = models.TextField(_("effects for society"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=255)
    budget = models.PositiveIntegerField(_("budget (NOK)"), default=0)
    contribution_per_participant = models.PositiveIntegerField(
        _("own contribution per participant (NOK)"), default=0
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeasureStatus.choices,
        default=MeasureStatus.PROPOSED,
        db_index=True,
    )
    needs = ParentalManyToManyField(
        Need, verbose_name=_("needs it answers"), blank=True, related_name="measures"
    )
    courses = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses that deliver it"),
        blank=True,
        related_name="measures",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("goal"),
        MultiFieldPanel(
            [
                FieldPanel("chain_input"),
                FieldPanel("chain_activities"),
                FieldPanel("chain_products"),
                FieldPanel("chain_user_effects"),
                FieldPanel("chain_society_effects"),
            ],
            heading=_("Effect chain"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("responsible"),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("contribution_per_participant")]),
            ],
            heading=_("Facts"),
        ),
        FieldPanel("needs"),
        FieldPanel("courses"),
        InlinePanel("indicators", heading=_("Result indicators"), label=_("result indicator")),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("goal"),
        index.FilterField("status"),
    ]
    parent_page_types = ["forum.TrainingPlanPage"]
    subpage_types = []
    base_form_class = MeasurePageForm

    class Meta:
        verbose_name = _("measure")


class ResultIndicator(TranslatableMixin, Orderable):
    """What the measure should change, in figures; coordinators record what they measure."""

    page = ParentalKey(MeasurePage, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("For example: share of new employees trained within three months."),
    )
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: %, people."))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("baseline"), FieldPanel("target")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")

    def __str__(self):
        return f"{self.page.title}: {self.name}"


class IndicatorMeasurement(models.Model):
    """A value of a result indicator on the day it was measured. It belongs to the indicator in
    the plan's source language; the nynorsk copy finds it by the indicator's translation key."""

    indicator = models.ForeignKey(
        ResultIndicator,
        verbose_name=_("result indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    measured_on = models.DateField(_("date measured"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        verbose_name = _("indicator measurement")
        verbose_name_plural = _("indicator measurements")

    def __str__(self):
        return f"{self.indicator.name} {self.measured_on:%Y-%m-%d}"


def with_latest_measurement(indicators, **within):
    """The indicators with `latest_value` and `latest_on`, their latest measurement among those
    `within` selects; found by translation key, so a nynorsk copy reads its source's values."""
    latest = IndicatorMeasurement.objects.filter(
        indicator__translation_key=OuterRef("translation_key"), **within
    ).order_by("-measured_on", "-pk")
    return indicators.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


class ResultsReportPage(RoutablePageMixin, BasePage):
    """The yearly results report of its parent plan: generated from the data (`services`),
    written only in its commentary; every table also as CSV."""

    commentary = StreamField(BaseStreamBlock(), verbose_name=_("commentary"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("commentary")]
    search_fields = BasePage.search_fields + [index.SearchField("commentary")]
    parent_page_types = ["forum.TrainingPlanPage"]
    subpage_types = []
    max_count_per_parent = 1

    @path("")
    def detail(self, request):
        return self.serve_route("", request)

    # The same words in nb and nn. Wagtail's page URLs hold no dot: the file is named by the
    # response's Content-Disposition.
    @path("tabell/<slug:table>/")
    def table_csv(self, request, table):
        return self.serve_route("table_csv", request, table)

    class Meta:
        verbose_name = _("results report")
