"""The organisers' admin: their courses' participants, the actions on them, and the reports.

An organiser sees the enrolments in the courses of the providers whose organiser group they are
in (`Enrolment.objects.visible_to`), and no others; portal.scoping holds every view to it.

Nobody edits an enrolment's state freely: each action is a POST form that calls the enrolment
services, which keep the seats, the waiting list and the participant's emails right.
"""

import datetime
from statistics import mean

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from katalog.places.models import Municipality
from portal.scoped_admin import ScopedModelViewSet
from portal.scoping import ScopedObjectMixin, ScopedPermissionPolicy

from . import services
from .models import (
    ACTIVE_STATES,
    SEAT_STATES,
    CoursePage,
    CourseSession,
    Enrolment,
    EnrolmentState,
    Evaluation,
    Provider,
    SessionStatus,
)


def courses_of(user):
    if user.is_superuser:
        return CoursePage.objects.all()
    return CoursePage.objects.filter(provider__organisers__in=user.groups.all())


def sessions_of(user):
    """The sessions whose participants the user manages (the copies enrolments belong to)."""
    return CourseSession.objects.filter(
        page__in=courses_of(user).filter(locale__language_code="nb")
    ).select_related("page")


# Participants enrol themselves; they are cancelled, never deleted (retention anonymises them).
register_permission_policy(
    Enrolment, ScopedPermissionPolicy(Enrolment, refused=["add", "delete"]), exact_class=True
)


def scoped_enrolment(user, pk):
    enrolment = (
        Enrolment.objects.visible_to(user)
        .select_related("session__page", "employer")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise PermissionDenied
    return enrolment


class EnrolmentFilterSet(WagtailFilterSet):
    state = ChoiceFilter(label=_("state"), choices=EnrolmentState.choices)
    # Either copy of a course (the page explorer links from both) finds its participants.
    course = ModelChoiceFilter(
        label=_("course"),
        queryset=lambda request: courses_of(request.user).order_by("title", "locale_id"),
        method="filter_course",
    )
    session = ModelChoiceFilter(
        label=_("session"), queryset=lambda request: sessions_of(request.user)
    )
    employer = ModelChoiceFilter(label=_("employer"), queryset=Municipality.objects.all())

    class Meta:
        model = Enrolment
        fields = []

    def filter_course(self, queryset, name, value):
        return queryset.filter(session__page__translation_key=value.translation_key)


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(
            "session__page", "employer"
        )

    def get_edit_url(self, instance):
        # No free edit: the title opens the participant's page, where the actions are.
        return None


class InspectView(ScopedObjectMixin, generic.InspectView):
    template_name = "courses/admin/enrolment_inspect.html"

    def get_edit_url(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment = self.object
        context["can_act"] = self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", enrolment
        )
        context["state"] = enrolment.state
        context["States"] = EnrolmentState
        context["can_move"] = enrolment.state in ACTIVE_STATES
        context["can_mark"] = enrolment.state in SEAT_STATES and (
            enrolment.state != EnrolmentState.AWAITING_APPROVAL
        )
        context["move_targets"] = (
            CourseSession.objects.filter(page_id=enrolment.session.page_id)
            .exclude(pk=enrolment.session_id)
            .filter(status=SessionStatus.OPEN)
            .order_by("start")
        )
        context["session_url"] = reverse("participants:session", args=[enrolment.session_id])
        return context


class EditView(ScopedObjectMixin, generic.EditView):
    """There is no free edit of an enrolment; the inspect view has the actions."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.view_enrolment"):
            raise PermissionDenied
        scoped_enrolment(request.user, kwargs["pk"])
        return redirect("participants:inspect", kwargs["pk"])


def _back(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


class ActionView(View):
    """One organiser action on one participant; the service decides, the view reports."""

    http_method_names = ["post"]
    SUCCESS = {
        "attended": _("Marked as attended."),
        "no_show": _("Marked as not shown up."),
        "promote": _("Given a seat from the waiting list."),
        "cancel": _("The enrolment is cancelled."),
        "move": _("Moved to the other session."),
    }

    def post(self, request, pk, action):
        if action not in self.SUCCESS:
            raise Http404
        if not request.user.has_perm("courses.change_enrolment"):
            raise PermissionDenied
        enrolment = scoped_enrolment(request.user, pk)
        data = {}
        try:
            if action in ("attended", "no_show"):
                services.mark_attendance(enrolment, action == "attended")
            elif action == "promote":
                services.promote(enrolment)
            elif action == "cancel":
                services.cancel(enrolment)
            else:
                target = CourseSession.objects.filter(
                    pk=request.POST.get("session") or 0, page_id=enrolment.session.page_id
                ).first()
                if target is None:
                    raise services.EnrolmentError(_("Choose another session of the same course."))
                data = {"from_session": enrolment.session_id, "to_session": target.pk}
                services.move(enrolment, target)
        except services.EnrolmentError as error:
            messages.error(request, str(error))
        else:
            log(enrolment, f"courses.enrolment.{action}", user=request.user, data=data)
            messages.success(request, self.SUCCESS[action])
        return _back(request, reverse("participants:inspect", args=[pk]))


def scoped_session(user, pk):
    session = sessions_of(user).filter(pk=pk).first()
    if session is None:
        raise PermissionDenied
    return session


class AttendanceForm(forms.Form):
    """A checkbox per participant holding a seat: ticked attended, unticked did not show up."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        for enrolment in enrolments:
            self.fields[f"attended_{enrolment.pk}"] = forms.BooleanField(
                required=False, initial=enrolment.state != EnrolmentState.NO_SHOW
            )


class SessionView(WagtailAdminTemplateMixin, TemplateView):
    """A session's participants, with the actions on the whole session."""

    template_name = "courses/admin/session_participants.html"
    header_icon = "group"
    page_title = _("Participants of the session")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.view_enrolment"):
            raise PermissionDenied
        self.session = services.source_session(scoped_session(request.user, kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("participants:index"), "label": _("Participants")},
            {"url": "", "label": str(self.session)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolments = list(
            Enrolment.objects.visible_to(self.request.user)
            .filter(session=self.session)
            .select_related("employer")
        )
        markable = [e for e in enrolments if e.state in services.BILLABLE_STATES]
        form = AttendanceForm(enrolments=markable)
        context.update(
            session=self.session,
            enrolments=enrolments,
            attendance=[(e, form[f"attended_{e.pk}"]) for e in markable],
            can_act=self.request.user.has_perm("courses.change_enrolment"),
            is_cancelled=self.session.status == SessionStatus.CANCELLED,
            States=EnrolmentState,
        )
        return context


class SessionActionView(View):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        if action not in ("attendance", "cancel"):
            raise Http404
        if not request.user.has_perm("courses.change_enrolment"):
            raise PermissionDenied
        session = services.source_session(scoped_session(request.user, pk))
        enrolments = Enrolment.objects.visible_to(request.user).filter(session=session)
        back = reverse("participants:session", args=[session.pk])
        if action == "cancel":
            told = list(enrolments.filter(state__in=ACTIVE_STATES))
            try:
                n = services.cancel_session(session)
            except services.EnrolmentError as error:
                messages.error(request, str(error))
                return redirect(back)
            for enrolment in told:
                log(enrolment, "courses.enrolment.session_cancelled", user=request.user)
            messages.success(
                request,
                ngettext(
                    "The session is cancelled; %(n)d participant is told.",
                    "The session is cancelled; %(n)d participants are told.",
                    n,
                )
                % {"n": n},
            )
            return redirect(back)
        markable = list(enrolments.filter(state__in=services.BILLABLE_STATES))
        form = AttendanceForm(request.POST, enrolments=markable)
        form.is_valid()
        changed, errors = 0, []
        for enrolment in markable:
            attended = form.cleaned_data.get(f"attended_{enrolment.pk}", False)
            wanted = EnrolmentState.ATTENDED if attended else EnrolmentState.NO_SHOW
            if enrolment.state == wanted:
                continue
            try:
                services.mark_attendance(enrolment, attended)
            except services.EnrolmentError as error:
                errors.append(str(error))
                continue
            log(
                enrolment,
                "courses.enrolment.attended" if attended else "courses.enrolment.no_show",
                user=request.user,
            )
            changed += 1
        for error in dict.fromkeys(errors):
            messages.error(request, error)
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(n)d participant changed.",
                "Attendance saved: %(n)d participants changed.",
                changed,
            )
            % {"n": changed},
        )
        return redirect(back)


class OrganiserReportView(SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView):
    """A report over the user's providers' courses, as a page and as CSV/XLSX."""

    permission = "courses.view_enrolment"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_heading(self, queryset, field):
        return str(self.export_headings.get(field, field))

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if self.is_export:
            return self.as_spreadsheet(context["export_rows"], request.GET["export"])
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["csv_url"] = self.get_export_url("csv")
        context["xlsx_url"] = self.get_export_url("xlsx")
        return context


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=_("Sessions starting from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _date(value):
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime.date) else value


class InvoiceBasisView(OrganiserReportView):
    template_name = "courses/admin/invoice_basis.html"
    page_title = _("Invoice basis")
    export_filename = "invoice-basis"
    list_export = ["employer", "course", "session", "participants", "price", "amount"]
    export_headings = {
        "employer": _("employer"),
        "course": _("course"),
        "session": _("session"),
        "participants": _("billable participants"),
        "price": _("price per participant (NOK)"),
        "amount": _("amount (NOK)"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeriodForm(self.request.GET)
        period = form.cleaned_data if form.is_valid() else {}
        lines, totals, total = services.invoice_basis(
            Enrolment.objects.visible_to(self.request.user),
            period.get("date_from"),
            period.get("date_to"),
        )
        rows = [
            {
                "employer": line.employer,
                "course": line.session.page.title,
                "session": line.session.start,
                "participants": line.participants,
                "price": line.price,
                "amount": line.amount,
            }
            for line in lines
        ]
        total_label = str(_("Total"))
        export_rows = rows + [
            {"employer": employer, "course": total_label, "amount": amount}
            for employer, amount in totals.items()
        ]
        export_rows.append({"employer": total_label, "amount": total})
        context.update(
            form=form,
            lines=lines,
            totals=totals,
            total=total,
            export_rows=[
                {field: row.get(field, "") for field in self.list_export} for row in export_rows
            ],
        )
        return context


class EvaluationReportView(OrganiserReportView):
    template_name = "courses/admin/evaluations.html"
    permission = "courses.view_evaluation"
    page_title = _("Evaluations")
    export_filename = "evaluations"
    list_export = ["course", "answers", "usefulness", "relevance", "comments"]
    export_headings = {
        "course": _("course"),
        "answers": _("answers"),
        "usefulness": _("average usefulness"),
        "relevance": _("average relevance for the work"),
        "comments": _("comments"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluations = Evaluation.objects.filter(
            enrolment__in=Enrolment.objects.visible_to(self.request.user)
        ).select_related("enrolment__session__page")
        by_course = {}
        for evaluation in evaluations.order_by("enrolment__session__page__title", "submitted_at"):
            by_course.setdefault(evaluation.enrolment.session.page, []).append(evaluation)
        courses = []
        for course, answers in by_course.items():
            comments = [
                text
                for answer in answers
                for text in (answer.improvements.strip(), answer.comment.strip())
                if text
            ]
            courses.append(
                {
                    "course": course.title,
                    "answers": len(answers),
                    "usefulness": round(mean(a.usefulness for a in answers), 2),
                    "relevance": round(mean(a.relevance for a in answers), 2),
                    "comments": comments,
                }
            )
        context["courses"] = courses
        context["export_rows"] = [
            {**course, "comments": " | ".join(course["comments"])} for course in courses
        ]
        return context


class EnrolmentViewSet(ScopedModelViewSet):
    model = Enrolment
    icon = "group"
    menu_label = _("Participants")
    add_to_admin_menu = True
    menu_order = 260
    search_backend_name = None
    index_view_class = IndexView
    edit_view_class = EditView
    inspect_view_class = InspectView
    inspect_view_enabled = True
    filterset_class = EnrolmentFilterSet
    list_display = [
        "name",
        Column("state", label=_("state"), accessor="get_state_display"),
        TitleColumn(
            "session",
            label=_("session"),
            accessor="session",
            get_url=lambda enrolment: reverse("participants:session", args=[enrolment.session_id]),
        ),
        Column("employer", label=_("employer"), accessor=services.employer_label),
        DateColumn("created_at", label=_("enrolled"), sort_key="created_at"),
    ]
    list_export = [
        "name",
        "email",
        "phone",
        "employer",
        "employer_other",
        "job_title",
        "session",
        "state",
        "created_at",
        "special_needs",
    ]
    export_filename = "participants"
    search_fields = ["name", "email"]
    inspect_view_fields = [
        "name",
        "email",
        "phone",
        "employer",
        "employer_other",
        "job_title",
        "manager_email",
        "special_needs",
        "session",
        "state",
        "state_changed_at",
        "created_at",
        "language",
        "consented_at",
        "consent_version",
    ]
    form_fields = []

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("action/<int:pk>/<slug:action>/", ActionView.as_view(), name="action"),
            path("session/<int:pk>/", SessionView.as_view(), name="session"),
            path(
                "session/<int:pk>/<slug:action>/",
                SessionActionView.as_view(),
                name="session_action",
            ),
            path("invoice-basis/", InvoiceBasisView.as_view(), name="invoice_basis"),
            path("evaluations/", EvaluationReportView.as_view(), name="evaluations"),
        ]


class ProviderViewSet(ModelViewSet):
    """Which group organises which provider's courses; superusers only, by model permission."""

    model = Provider
    icon = "group"
    menu_label = _("Course providers")
    add_to_settings_menu = True
    menu_order = 910
    search_backend_name = None
    copy_view_enabled = False
    list_display = ["name", "organisers"]
    form_fields = ["name", "organisers"]
    search_fields = ["name"]
