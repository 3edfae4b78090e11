"""The guidance door's views: finder, centre page, request form, receipt and self-assessment
(thin: the rules live in services)."""

import copy

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from portal import page_cache, page_views

from . import services
from .forms import CONSENT_VERSION, GuidanceRequestForm, SelfAssessmentForm, summary_as_text
from .models import (
    CentrePage,
    GuidanceIndexPage,
    GuidanceRequest,
    SelfAssessmentPage,
)

SELF_ASSESSMENT_KEY = "guidance_self_assessment"
RECEIPT_KEY = "guidance_receipt"


def _with_status(centres):
    """Copies of the (shared, cached) centres with their hours now."""
    listed = []
    for centre in centres:
        centre = copy.copy(centre)
        centre.status = services.opening_status(centre)
        centre.week = services.weekly_hours(centre)
        listed.append(centre)
    return listed


def _request_url(guidance_index):
    return guidance_index.url + guidance_index.reverse_subpage("request_form")


@page_views.register(GuidanceIndexPage, "finder")
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)  # "open now"
def finder(request, page):
    context = {"searched": "municipality" in request.GET}
    if context["searched"]:
        municipality = services.find_municipality(request.GET["municipality"])
        context["municipality"] = municipality
        if municipality:
            context["results"] = _with_status(
                services.listed_centres_serving(municipality, page.locale)
            )
    context["regions"] = [
        (region, _with_status(centres))
        for region, centres in services.centres_by_region(page.locale)
    ]
    context["municipalities"] = services.municipalities()
    context["selected"] = request.GET.get("municipality", "")
    context["education_page"], context["self_assessment_page"] = services.door_pages(page)
    context["request_url"] = _request_url(page)
    return page.render(request, context_overrides=context)


@page_views.register(CentrePage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)  # "open now"
def centre_page(request, page):
    return page.render(
        request,
        context_overrides={
            "status": services.opening_status(page),
            "week": services.weekly_hours(page),
            "exceptions": services.upcoming_exceptions(page),
            "request_url": _request_url(page.get_parent().specific),
        },
    )


@page_views.register(GuidanceIndexPage, "request_form")
def request_form(request, page):
    self_assessment = request.session.get(SELF_ASSESSMENT_KEY, "")
    template = "guidance/guidance_request_form.html"
    context = {
        "self_assessment": self_assessment,
        "spam_caught": False,
        "subpage_path": page.reverse_subpage("request_form"),
    }
    if request.method == "POST":
        ip = services.client_ip(request)
        form = GuidanceRequestForm(request.POST, with_self_assessment=bool(self_assessment))
        # Only posts that would store or send something count against the limit, so a person
        # correcting their errors is never locked out.
        countable = form.is_spam or form.is_valid()
        if countable and not services.allow_submission(ip):
            return TemplateResponse(
                request, "guidance/rate_limited.html", {"page": page}, status=429
            )
        if form.is_spam:
            services.record_spam()
            # Possibly a person whose browser filled the hidden field: show the form again, with
            # everything kept but the hidden field, so they can send it.
            data = request.POST.copy()
            data["website"] = ""
            form = GuidanceRequestForm(data, with_self_assessment=bool(self_assessment))
            form.is_valid()
            context["spam_caught"] = True
        elif form.is_valid():
            data = form.cleaned_data
            guidance_request = services.create_request(
                locale=page.locale,
                language=get_language(),
                municipality=data["municipality"],
                self_assessment=self_assessment if data.get("send_self_assessment") else "",
                consent_version=CONSENT_VERSION,
                **{
                    name: data[name]
                    for name in (
                        "name",
                        "email",
                        "phone",
                        "topic",
                        "contact_method",
                        "contact_time",
                        "message",
                    )
                },
            )
            request.session[RECEIPT_KEY] = guidance_request.pk
            request.session.pop(SELF_ASSESSMENT_KEY, None)
            return redirect(page.url + page.reverse_subpage("receipt"))
    else:
        initial = {}
        municipality = services.find_municipality(request.GET.get("municipality"))
        if municipality:
            initial["municipality"] = municipality
        form = GuidanceRequestForm(initial=initial, with_self_assessment=bool(self_assessment))
    context["form"] = form
    return page.render(request, template=template, context_overrides=context)


@page_views.register(GuidanceIndexPage, "receipt")
def receipt(request, page):
    pk = request.session.get(RECEIPT_KEY)
    guidance_request = (
        GuidanceRequest.objects.select_related("centre", "municipality").filter(pk=pk).first()
    )
    if guidance_request is None:
        return redirect(page.url + page.reverse_subpage("request_form"))
    return page.render(
        request,
        template="guidance/guidance_receipt.html",
        context_overrides={
            "guidance_request": guidance_request,
            "subpage_path": page.reverse_subpage("receipt"),
        },
    )


@page_views.register(SelfAssessmentPage)
def self_assessment(request, page):
    guidance_index = page.get_parent().specific
    context = {
        "page": page,
        "self": page,
        "request_url": _request_url(guidance_index),
    }
    if request.method == "POST":
        form = SelfAssessmentForm(page, request.POST)
        if form.is_valid():
            summary = form.summary()
            request.session[SELF_ASSESSMENT_KEY] = summary_as_text(summary)
            context["summary"] = summary
            return TemplateResponse(request, "guidance/self_assessment_summary.html", context)
    else:
        form = SelfAssessmentForm(page)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context)
