"""The editors' report of which pages lack their twin in the other written standard.

Every live bokmål page is listed with its nynorsk twin's state: missing, not published, out of
date (the bokmål page was published after its twin last was, so the twin may lag behind) or up
to date, in a constant number of queries. wagtail-localize's own Translations report lists only
the translations that exist (LESSONS: wagtail-localize #832), not the pages that have none.

Beside the state, how many of the twin's strings are still the machine's (portal.apertium):
wagtail-localize marks a machine translation as such until an editor saves the string, which
makes it manual, so a count above 0 is nynorsk nobody has reviewed yet.
"""

import django_filters
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail_localize.models import StringTranslation, Translation

SOURCE, TARGET = "nb", "nn"
PERMISSION = "wagtail_localize.submit_translation"  # editors who may translate

MISSING, UNPUBLISHED, OUT_OF_DATE, UP_TO_DATE = "missing", "unpublished", "out-of-date", "current"
STATUS_CHOICES = [
    (MISSING, _("No nynorsk page")),
    (UNPUBLISHED, _("Nynorsk not published")),
    (OUT_OF_DATE, _("Bokmål changed since")),
    (UP_TO_DATE, _("Up to date")),
]
STATUS_LABELS = dict(STATUS_CHOICES)


def unreviewed_machine_strings():
    """The twin's strings (of the bokmål page's current segments) still as the machine left
    them, counted per page."""
    machine = (
        StringTranslation.objects.filter(
            locale__language_code=TARGET,
            translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
            context__object_id=OuterRef("translation_key"),
            translation_of__segments__context=F("context"),
            translation_of__segments__source__locale__language_code=SOURCE,
        )
        .order_by()
        .values("context__object_id")
        .annotate(count=Count("pk", distinct=True))
        .values("count")[:1]
    )
    return Coalesce(Subquery(machine, output_field=IntegerField()), 0)


def pages_with_twin_status():
    """Live bokmål pages (the site's root excluded), each annotated with its nynorsk twin."""
    twins = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=TARGET
    )
    return (
        Page.objects.live()
        .filter(locale__language_code=SOURCE, depth__gt=1)
        .annotate(
            twin_exists=Exists(twins),
            twin_live=Exists(twins.filter(live=True)),
            twin_published_at=Subquery(twins.values("last_published_at")[:1]),
            machine_strings=unreviewed_machine_strings(),
        )
        .annotate(
            twin_status=Case(
                When(twin_exists=False, then=Value(MISSING)),
                When(twin_live=False, then=Value(UNPUBLISHED)),
                When(
                    Q(last_published_at__gt=F("twin_published_at"))
                    | Q(twin_published_at__isnull=True),
                    then=Value(OUT_OF_DATE),
                ),
                default=Value(UP_TO_DATE),
                output_field=CharField(),
            )
        )
        .select_related("content_type")
        .order_by("path")
    )


class TwinStatusFilterSet(WagtailFilterSet):
    twin_status = django_filters.ChoiceFilter(label=_("Nynorsk"), choices=STATUS_CHOICES)
    machine = django_filters.BooleanFilter(
        label=_("Unreviewed machine translation"), method="filter_machine"
    )

    class Meta:
        model = Page
        fields = []

    def filter_machine(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(machine_strings__gt=0) if value else queryset.filter(machine_strings=0)
        )


def _label(status):
    return str(STATUS_LABELS[status])


class TranslationStatusReport(ReportView):
    page_title = _("Translation status")
    header_icon = "globe"
    index_url_name = "translation_status"
    index_results_url_name = "translation_status_results"
    model = Page
    permission_policy = ModelPermissionPolicy(Translation)
    permission_required = "submit"
    filterset_class = TwinStatusFilterSet
    no_results_message = _("No bokmål page matches.")
    list_export = [
        "title",
        "url_path",
        "last_published_at",
        "twin_status",
        "twin_published_at",
        "machine_strings",
    ]
    export_headings = {
        "title": _("Bokmål page"),
        "url_path": _("Path"),
        "last_published_at": _("Bokmål published"),
        "twin_status": _("Nynorsk"),
        "twin_published_at": _("Nynorsk published"),
        "machine_strings": _("Unreviewed machine-translated strings"),
    }
    custom_field_preprocess = {"twin_status": {"csv": _label, "xlsx": _label}}
    columns = [
        TitleColumn("title", label=_("Bokmål page"), url_name="wagtailadmin_pages:edit"),
        Column("type", label=_("Type"), accessor=lambda page: page.content_type.name),
        DateColumn("last_published_at", label=_("Bokmål published")),
        Column("twin_status", label=_("Nynorsk"), accessor=lambda page: _label(page.twin_status)),
        DateColumn("twin_published_at", label=_("Nynorsk published")),
        Column(
            "machine_strings",
            label=_("Unreviewed machine translation"),
            accessor=lambda page: page.machine_strings or "",
        ),
    ]

    def get_queryset(self):
        return pages_with_twin_status()


def urls():
    return [
        path("reports/translations/", TranslationStatusReport.as_view(), name="translation_status"),
        path(
            "reports/translations/results/",
            TranslationStatusReport.as_view(results_only=True),
            name="translation_status_results",
        ),
    ]
