from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction

# Browsers name nynorsk "nn", "nn-NO" or "no-nn", and bokmål "nb", "nb-NO", "no" or "no-NO".
NYNORSK_TAGS = {"nn", "nn-no", "no-nn"}
BOKMAL_TAGS = {"nb", "nb-no", "no", "no-no", "no-nb"}


def preferred_language(accept_language):
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        tag = tag.lower()
        if tag in NYNORSK_TAGS:
            return "nn"
        if tag in BOKMAL_TAGS:
            return "nb"
    return settings.LANGUAGE_CODE


def root_redirect(request):
    language = preferred_language(request.headers.get("Accept-Language"))
    response = redirect(f"/{language}/")
    response.headers["Vary"] = "Accept-Language"
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Failed passwords of a protected page count as failed logins of this pseudo-username.
PAGE_RESTRICTION = "page-restriction:"


def locked_out(request, original_response=None, credentials=None):
    """The answer to a client django-axes has locked out (AXES_LOCKOUT_CALLABLE): a page in the
    visitor's written standard saying when they can try again, with 429 and Retry-After.

    Every attempt while locked out starts the cool-off again, so it ends a cool-off from now.
    """
    cool_off = get_cool_off(request)
    retry_at = timezone.localtime(timezone.now() + cool_off)
    username = (credentials or {}).get("username") or ""
    context = {
        "retry_at": retry_at,
        "retry_today": retry_at.date() == timezone.localdate(),
        "page_password": username.startswith(PAGE_RESTRICTION),
    }
    # In the language LocaleMiddleware chose: the admin's login has no language prefix, so by the
    # language cookie or Accept-Language.
    response = render(request, "portal/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's password form of a protected page, under the login lockout.

    A wrong password is a failed login of `page-restriction:<id>` for django-axes, so guessing a
    page's password is limited like guessing a staff member's; a locked-out client is refused
    even with the right password.
    """
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    credentials = {"username": f"{PAGE_RESTRICTION}{page_view_restriction_id}"}
    allowed = AxesProxyHandler.is_allowed(request, credentials)
    response = None
    if allowed:
        response = wagtail_views.authenticate_with_password(
            request, page_view_restriction_id, page_id
        )
        if response.status_code == 302:  # the password was right
            return response
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if not allowed or getattr(request, "axes_locked_out", False):
        return get_lockout_response(request, response, credentials)
    return response
