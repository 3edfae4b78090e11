"""Thin views: the catalogue's context, the course page's context, the feeds."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Locale, Page

from portal import page_cache, page_views
from portal.middleware import use_cached_route

from . import feeds, links, services
from .forms import CONSENT_VERSION, CatalogueFilterForm, EnrolmentForm, EvaluationForm
from .models import (
    ACTIVE_STATES,
    CourseIndexPage,
    CoursePage,
    DeliveryMode,
    Enrolment,
    EnrolmentState,
    Evaluation,
)
from .search import search_sessions, taxonomies

FEED_PER_PAGE = 100
CALENDAR_LIMIT = 1000


def _filter_form(request):
    options = taxonomies()
    municipalities, categories, audiences = (
        options.municipalities,
        options.categories,
        options.audiences,
    )
    form = CatalogueFilterForm(request.GET, municipalities, categories, audiences)
    return form, municipalities, categories, audiences


def _option(value, label, facet, selected):
    return {"value": value, "label": label, "count": facet.get(value, 0), "selected": selected}


def _remove_url(request, *names):
    query = request.GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return f"?{query.urlencode()}" if query else "?"


@page_views.register(CourseIndexPage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def catalogue(request, index_page):
    return index_page.render(request, context_overrides=catalogue_context(request, index_page))


def catalogue_context(request, index_page):
    form, municipalities, categories, audiences = _filter_form(request)
    filters = form.filters()
    result = search_sessions(filters, index_page.locale, request.GET.get("page"))
    facets = result.facets

    regions = {}
    for municipality in municipalities:
        regions.setdefault(municipality.region.name, []).append(
            _option(
                municipality.number,
                municipality.name,
                facets["municipality"],
                municipality.number == filters.municipality,
            )
        )
    # Every select gets (group label, options) pairs; only municipalities come in groups.
    options = {
        "municipality": sorted(regions.items()),
        "category": [
            (
                "",
                [
                    _option(c.slug, c.name, facets["category"], c.slug == filters.category)
                    for c in categories
                ],
            )
        ],
        "audience": [
            (
                "",
                [
                    _option(a.slug, a.name, facets["audience"], a.slug == filters.audience)
                    for a in audiences
                ],
            )
        ],
        "mode": [
            (
                "",
                [
                    _option(value, label, facets["mode"], value == filters.mode)
                    for value, label in DeliveryMode.choices
                ],
            )
        ],
        "available": facets["available"]["1"],
    }

    labels = {
        "municipality": {m.number: m.name for m in municipalities},
        "category": {c.slug: c.name for c in categories},
        "audience": {a.slug: a.name for a in audiences},
        "mode": dict(DeliveryMode.choices),
    }
    active = []
    if filters.q:
        active.append((form.fields["q"].label, f"«{filters.q}»", _remove_url(request, "q")))
    for name in ("municipality", "category", "audience", "mode"):
        value = getattr(filters, name)
        if value:
            active.append(
                (form.fields[name].label, labels[name][value], _remove_url(request, name))
            )
    for name, value in (("from", filters.start), ("to", filters.end)):
        if value:
            active.append((form.fields[name].label, value.isoformat(), _remove_url(request, name)))
    if filters.available:
        active.append((form.fields["available"].label, "", _remove_url(request, "available")))

    return {
        "form": form,
        "filters": filters,
        "sessions": result.page,
        "options": options,
        "active_filters": [
            {"label": label, "value": value, "remove_url": url} for label, value, url in active
        ],
        "clear_url": "?",
    }


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def page_calendar(request, page_path):
    """The calendar of the catalogue or course page at page_path, guarded as the page is.

    Wagtail's page hooks (view restrictions among them) run as in `wagtail.views.serve`.
    """
    use_cached_route(request, page_path)
    route = Page.route_for_request(request, page_path)
    view = page_views.view_for(route.page, "calendar") if route else None
    if view is None:
        raise Http404

    def serve(page, request, args, kwargs):
        return view(request, page)

    for hook in reversed(hooks.get_hooks("on_serve_page")):
        serve = hook(serve)
    for hook in hooks.get_hooks("before_serve_page"):
        response = hook(route.page, request, route.args, route.kwargs)
        if isinstance(response, HttpResponse):
            return response
    return serve(route.page, request, route.args, route.kwargs)


@page_views.register(CourseIndexPage, "calendar")
def catalogue_calendar(request, index_page):
    """All matching upcoming sessions (the first CALENDAR_LIMIT by start) as one calendar."""
    form, *_lists = _filter_form(request)
    result = search_sessions(form.filters(), index_page.locale, 1, CALENDAR_LIMIT, facets=False)
    body = feeds.calendar(result.page.object_list, request, index_page.title)
    return _calendar_response(body, "kurs.ics")


def course_sessions(page):
    # Through the page's own manager, each session gets this page as its course without a join.
    return (
        page.sessions.filter(start__gte=timezone.now())
        .select_related("municipality")
        .order_by("start", "pk")
    )


@page_views.register(CoursePage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def course_page(request, page):
    sessions = list(course_sessions(page))
    context = {
        "course_sessions": sessions,
        "audiences": list(page.audiences.all()),
        "json_ld": feeds.json_ld_script(feeds.course_json_ld(page, sessions, request)),
    }
    return page.render(request, context_overrides=context)


# Enrolment: the form, its outcome (after a redirect), resending the link, the manage page.

OUTCOME_KEY = "courses-enrolment-outcome"
RESEND_KEY = "courses-enrolment-resend"


def _session_or_404(page, session_key):
    session = (
        page.sessions.select_related("municipality").filter(translation_key=session_key).first()
    )
    if session is None:
        raise Http404
    return session


def _subpage_url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)


def _render(request, page, template, context, status=200):
    context = {"page": page, "self": page, **context}
    return TemplateResponse(request, template, context, status=status)


@page_views.register(CoursePage, "enrolment_form")
def enrolment_form(request, page, session_key):
    session = _session_or_404(page, session_key)
    context = {"session": session, "spam_caught": False, "busy": False}
    state = services.availability(session)
    if state in ("closed", "cancelled"):
        return _render(request, page, "courses/enrolment_closed.html", {**context, "reason": state})
    manager_required = page.manager_approval_required
    if request.method == "POST":
        form = EnrolmentForm(request.POST, manager_required=manager_required)
        # Only posts that would store something count, so correcting errors never locks out.
        countable = form.is_spam or form.is_valid()
        if countable and not services.allow_enrolment_post(request):
            return _render(request, page, "courses/enrolment_rate_limited.html", context, 429)
        if form.is_spam:
            services.record_spam()
            data = request.POST.copy()
            data["website"] = ""
            form = EnrolmentForm(data, manager_required=manager_required)
            form.is_valid()
            context["spam_caught"] = True
        elif form.is_valid():
            try:
                enrolment = services.enrol_from_form(
                    session,
                    language=get_language(),
                    consent_version=CONSENT_VERSION,
                    **form.cleaned_data_for_enrolment(),
                )
            except services.AlreadyEnrolled as error:
                request.session[RESEND_KEY] = error.enrolment.pk
                context["resend_url"] = _subpage_url(
                    page, "enrolment_resend", session.translation_key
                )
                return _render(request, page, "courses/enrolment_exists.html", context)
            except services.EnrolmentClosed as error:
                return _render(
                    request,
                    page,
                    "courses/enrolment_closed.html",
                    {**context, "reason": error.reason},
                )
            except services.SessionBusy:
                context.update(form=form, busy=True)
                return _render(request, page, "courses/enrolment_form.html", context, 503)
            request.session[OUTCOME_KEY] = enrolment.pk
            return redirect(_subpage_url(page, "enrolment_outcome", session.translation_key))
    else:
        form = EnrolmentForm(manager_required=manager_required)
    context["form"] = form
    return _render(request, page, "courses/enrolment_form.html", context)


@page_views.register(CoursePage, "enrolment_outcome")
def enrolment_outcome(request, page, session_key):
    session = _session_or_404(page, session_key)
    enrolment = Enrolment.objects.filter(
        pk=request.session.get(OUTCOME_KEY), session__translation_key=session.translation_key
    ).first()
    if enrolment is None:
        return redirect(_subpage_url(page, "enrolment_form", session.translation_key))
    context = {
        "session": session,
        "enrolment": enrolment,
        "position": services.waiting_position(enrolment),
    }
    return _render(request, page, "courses/enrolment_outcome.html", context)


@page_views.register(CoursePage, "enrolment_resend")
def enrolment_resend(request, page, session_key):
    session = _session_or_404(page, session_key)
    if request.method != "POST":
        return redirect(_subpage_url(page, "enrolment_form", session.translation_key))
    enrolment = Enrolment.objects.filter(
        pk=request.session.get(RESEND_KEY),
        session__translation_key=session.translation_key,
        state__in=ACTIVE_STATES,
    ).first()
    if enrolment is None:
        return redirect(_subpage_url(page, "enrolment_form", session.translation_key))
    if not services.allow_enrolment_post(request):
        return _render(
            request, page, "courses/enrolment_rate_limited.html", {"session": session}, 429
        )
    services.resend_link(enrolment)
    request.session.pop(RESEND_KEY, None)
    return _render(request, page, "courses/enrolment_resent.html", {"session": session})


def _linked_enrolment(page, token, purpose):
    """The enrolment a signed link of this purpose opens on this course (in either standard),
    with this page's copy of its session; (None, None) for any other link."""
    enrolment = links.enrolment_for_token(token, purpose)
    if enrolment is None or enrolment.session.page.translation_key != page.translation_key:
        return None, None
    # This page's copy of the session, or the enrolment's own where no copy is synchronised yet.
    session = (
        page.sessions.select_related("municipality")
        .filter(translation_key=enrolment.session.translation_key)
        .first()
        or enrolment.session
    )
    return enrolment, session


def _link_invalid(request, page):
    return _render(request, page, "courses/enrolment_link_invalid.html", {}, 404)


# What the participant can cancel by their link (a wait is left, not cancelled).
CANCELLABLE = (EnrolmentState.AWAITING_APPROVAL, EnrolmentState.CONFIRMED, EnrolmentState.WAITING)


@page_views.register(CoursePage, "enrolment_manage")
def enrolment_manage(request, page, token):
    enrolment, session = _linked_enrolment(page, token, links.MANAGE)
    if enrolment is None:
        return _link_invalid(request, page)
    context = {"session": session, "enrolment": enrolment, "error": None}
    if request.method == "POST":
        try:
            if enrolment.state == EnrolmentState.WAITING:
                services.leave_waiting_list(enrolment)
            else:
                services.cancel(enrolment)
        except services.StateTransitionError as error:
            context["error"] = str(error)
        except services.SessionBusy:
            return _render(request, page, "courses/enrolment_busy.html", context, 503)
        else:
            return redirect(request.path)
    context["position"] = services.waiting_position(enrolment)
    context["can_cancel"] = enrolment.state in CANCELLABLE
    return _render(request, page, "courses/enrolment_manage.html", context)


# The line manager's page behind the approval link. The decision made here is remembered in the
# session, so that after the redirect a declined request reads "you declined" rather than only
# "cancelled" (which the participant, or the hold running out, may also have caused).
APPROVAL_DECISIONS = {"approve": services.approve, "decline": services.decline}
DECIDED_KEY = "courses-approval-decided"


@page_views.register(CoursePage, "enrolment_approval")
def enrolment_approval(request, page, token):
    enrolment, session = _linked_enrolment(page, token, links.APPROVAL)
    if enrolment is None:
        return _link_invalid(request, page)
    context = {"session": session, "enrolment": enrolment, "error": None}
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision not in APPROVAL_DECISIONS:
                raise services.StateTransitionError(_("Choose Approve or Decline."))
            APPROVAL_DECISIONS[decision](enrolment)
        except services.SessionBusy:
            return _render(request, page, "courses/enrolment_busy.html", context, 503)
        except services.StateTransitionError as error:
            context["error"] = str(error)
            status = 409
            enrolment.refresh_from_db()
        else:
            decided = request.session.get(DECIDED_KEY, {})
            decided[str(enrolment.pk)] = decision
            request.session[DECIDED_KEY] = decided
            return redirect(request.path)
    context["decided"] = request.session.get(DECIDED_KEY, {}).get(str(enrolment.pk))
    context["awaiting"] = enrolment.state == EnrolmentState.AWAITING_APPROVAL
    context["employer"] = (
        enrolment.employer.name if enrolment.employer_id else enrolment.employer_other
    )
    return _render(request, page, "courses/enrolment_approval.html", context, status)


@page_views.register(CoursePage, "enrolment_evaluation")
def enrolment_evaluation(request, page, token):
    enrolment, session = _linked_enrolment(page, token, links.EVALUATION)
    if enrolment is None:
        return _link_invalid(request, page)
    context = {"session": session, "enrolment": enrolment}
    if Evaluation.objects.filter(enrolment=enrolment).exists() and request.method != "POST":
        return _render(request, page, "courses/evaluation_thanks.html", context)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(enrolment, **form.answers())
        except services.EnrolmentError as error:
            # Not stored: the message says why, and the page gives back what was written.
            context.update(form=form, error=str(error))
            return _render(request, page, "courses/evaluation_refused.html", context, 409)
        return redirect(request.path)
    if request.method != "POST" and enrolment.state != EnrolmentState.ATTENDED:
        context["error"] = _("Only participants who attended can evaluate the course.")
        return _render(request, page, "courses/evaluation_refused.html", context)
    context["form"] = form
    return _render(request, page, "courses/evaluation_form.html", context)


@page_views.register(CoursePage, "calendar")
def course_calendar(request, page):
    body = feeds.calendar(course_sessions(page), request, page.title)
    return _calendar_response(body, f"{slugify(page.slug) or 'kurs'}.ics")


@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def sessions_feed(request):
    """GET /api/katalog/sessions/?<catalogue filters>&lang=nb|nn&page=N as JSON."""
    language = request.GET.get("lang", "nb")
    if language not in ("nb", "nn"):
        return JsonResponse({"errors": {"lang": ["nb", "nn"]}}, status=400)
    with translation.override(language):
        form, *_lists = _filter_form(request)
        filters = form.filters()
        if form.errors:
            return JsonResponse({"errors": form.errors}, status=400)
        locale = Locale.objects.get(language_code=language)
        result = search_sessions(
            filters, locale, request.GET.get("page"), FEED_PER_PAGE, facets=False
        )
        page = result.page
        response = JsonResponse(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
                "previous": _page_url(request, page.previous_page_number())
                if page.has_previous()
                else None,
                "generated": timezone.localtime().isoformat(),
                "results": [feeds.session_data(s, request) for s in page.object_list],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    # Public data: municipalities may read it from their intranet pages' own scripts.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
