"""Kompetanseforum in Wagtail's admin: the register of competence needs and its overview, the
forum's members, and the measured values of the plan's result indicators.

A municipality's member sees and edits their own municipality's needs, an employees'
organisation's member those they registered, the coordinators all (`Need.objects.visible_to`);
portal.scoping holds every view to it, the overview and the exports included.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from katalog.places.models import Municipality
from portal.scoped_admin import ScopedModelViewSet
from portal.scoping import ScopedObjectMixin, ScopedPermissionPolicy

from . import services
from .forms import IndicatorMeasurementForm, NeedForm
from .models import ForumMember, IndicatorMeasurement, Need, NeedKind, ServiceArea, Urgency

need_policy = ScopedPermissionPolicy(Need)
register_permission_policy(Need, need_policy, exact_class=True)

NEED_ACTIONS = ["add", "change", "delete", "view"]


def visible_needs(user):
    return Need.objects.visible_to(user)


class NeedFilterSet(WagtailFilterSet):
    # Only the municipalities whose needs the user sees: a member's list is their own.
    municipality = ModelChoiceFilter(
        label=_("municipality"),
        queryset=lambda request: Municipality.objects.filter(
            pk__in=visible_needs(request.user).values("municipality")
        ),
    )
    service_area = ChoiceFilter(label=_("service area"), choices=ServiceArea.choices)
    kind = ChoiceFilter(label=_("kind of need"), choices=NeedKind.choices)
    urgency = ChoiceFilter(label=_("urgency"), choices=Urgency.choices)

    class Meta:
        model = Need
        fields = []


class NeedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return visible_needs(self.request.user).select_related("municipality", "registered_by")


class NeedCreateView(generic.CreateView):
    def get_initial_form_instance(self):
        return Need(registered_by=self.request.user)


class NeedEditView(ScopedObjectMixin, generic.EditView):
    pass


class NeedInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class NeedsOverviewView(SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView):
    """The needs the user sees, counted; as a page and as one CSV/XLSX of its three tables."""

    template_name = "forum/admin/needs_overview.html"
    page_title = _("Needs overview")
    header_icon = "table"
    export_filename = "needs-overview"
    list_export = [
        "table",
        "service_area",
        "kind",
        "needs",
        "employees",
        "municipalities",
        "municipality_names",
    ]
    export_headings = {
        "table": _("table"),
        "service_area": _("service area"),
        "kind": _("kind of need"),
        "needs": _("needs"),
        "employees": _("employees concerned"),
        "municipalities": _("municipalities"),
        "municipality_names": _("the municipalities"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not need_policy.user_has_any_permission(request.user, NEED_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_heading(self, queryset, field):
        return str(self.export_headings[field])

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("needs:index"), "label": _("Competence needs")},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if self.is_export:
            return self.as_spreadsheet(self.export_rows(context), request.GET["export"])
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = NeedFilterSet(
            self.request.GET or None,
            queryset=visible_needs(self.request.user),
            request=self.request,
        )
        needs = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
        context.update(
            filters=filters,
            overview=services.needs_overview(needs),
            csv_url=self.get_export_url("csv"),
            xlsx_url=self.get_export_url("xlsx"),
        )
        return context

    def export_rows(self, context):
        overview = context["overview"]
        rows = [
            {
                "table": str(_("Per service area")),
                "service_area": str(row["label"]),
                **row,
            }
            for row in overview["by_area"]
        ]
        rows += [
            {"table": str(_("Per kind of need")), "kind": str(row["label"]), **row}
            for row in overview["by_kind"]
        ]
        rows += [
            {
                "table": str(_("Shared by several municipalities")),
                **row,
                "service_area": str(row["service_area_label"]),
                "kind": str(row["kind_label"]),
                "municipality_names": ", ".join(row["municipality_names"]),
            }
            for row in overview["shared"]
        ]
        return [{field: row.get(field, "") for field in self.list_export} for row in rows]


class NeedViewSet(ScopedModelViewSet):
    model = Need
    name = "needs"
    icon = "list-ul"
    menu_label = _("Needs")
    menu_order = 1
    permission_policy = need_policy
    search_backend_name = None
    index_view_class = NeedIndexView
    add_view_class = NeedCreateView
    edit_view_class = NeedEditView
    inspect_view_class = NeedInspectView
    inspect_view_enabled = True
    filterset_class = NeedFilterSet
    list_display = [
        "target_group",
        "municipality",
        Column("service_area", label=_("service area"), accessor="get_service_area_display"),
        Column("kind", label=_("kind of need"), accessor="get_kind_display"),
        Column("urgency", label=_("urgency"), accessor="get_urgency_display"),
        Column("employees_concerned", label=_("employees concerned")),
        DateColumn("updated_at", label=_("changed"), sort_key="updated_at"),
    ]
    list_export = [
        "municipality",
        "get_service_area_display",
        "target_group",
        "employees_concerned",
        "get_kind_display",
        "get_urgency_display",
        "description",
        "registered_by",
        "created_at",
        "updated_at",
    ]
    export_headings = {
        "get_service_area_display": _("service area"),
        "get_kind_display": _("kind of need"),
        "get_urgency_display": _("urgency"),
    }
    export_filename = "competence-needs"
    search_fields = ["target_group", "description"]
    inspect_view_fields = [
        "municipality",
        "service_area",
        "target_group",
        "employees_concerned",
        "kind",
        "urgency",
        "description",
        "registered_by",
        "created_at",
        "updated_at",
    ]
    # A plain select, not the snippet chooser: it works without JavaScript and offers only the
    # municipalities the form allows.
    edit_handler = ObjectList(
        [
            FieldPanel("municipality", widget=forms.Select),
            FieldPanel("service_area"),
            FieldPanel("target_group"),
            FieldPanel("employees_concerned"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("urgency")]),
            FieldPanel("description"),
        ],
        base_form_class=NeedForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("overview/", NeedsOverviewView.as_view(), name="overview"),
        ]


class ForumMemberIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "municipality")


class ForumMemberViewSet(ModelViewSet):
    """Who represents which municipality or organisation; the coordinators' (model
    permissions)."""

    model = ForumMember
    name = "forum_members"
    icon = "user"
    menu_label = _("Forum members")
    menu_order = 3
    search_backend_name = None
    copy_view_enabled = False
    list_display = ["user", "municipality", "organisation"]
    list_filter = ["municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("municipality", widget=forms.Select),
            FieldPanel("organisation"),
        ]
    )
    index_view_class = ForumMemberIndexView


class IndicatorMeasurementIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("indicator__page")


class IndicatorMeasurementViewSet(ModelViewSet):
    """Coordinators record the value of a result indicator on the day they measured it."""

    model = IndicatorMeasurement
    name = "indicator_measurements"
    icon = "history"
    menu_label = _("Indicator measurements")
    menu_order = 4
    search_backend_name = None
    copy_view_enabled = False
    list_display = ["indicator", "measured_on", "value", "note"]
    list_filter = ["measured_on"]
    search_fields = ["indicator__name", "note"]
    list_export = ["indicator", "measured_on", "value", "note"]
    export_filename = "indicator-measurements"
    edit_handler = ObjectList(
        [
            FieldPanel("indicator"),
            FieldRowPanel([FieldPanel("measured_on"), FieldPanel("value")]),
            FieldPanel("note"),
        ],
        base_form_class=IndicatorMeasurementForm,
    )
    index_view_class = IndicatorMeasurementIndexView


class NeedsOverviewMenuItem(MenuItem):
    def is_shown(self, request):
        return need_policy.user_has_any_permission(request.user, NEED_ACTIONS)


class ForumViewSetGroup(ViewSetGroup):
    menu_label = _("Kompetanseforum")
    menu_icon = "group"
    menu_order = 270
    items = (NeedViewSet, ForumMemberViewSet, IndicatorMeasurementViewSet)

    def get_submenu_items(self):
        return super().get_submenu_items() + [
            NeedsOverviewMenuItem(
                _("Needs overview"), reverse("needs:overview"), icon_name="table", order=2
            )
        ]
