"""Email about guidance requests, sent by the django-tasks worker (never inside a transaction)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task
from wagtail.users.models import UserProfile

from .models import CentreAccess, GuidanceRequest


def _render(template, context, language):
    with translation.override(language):
        subject = render_to_string(f"guidance/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"guidance/email/{template}.txt", context)
    return subject, body


@task()
def send_receipt(request_id):
    """The citizen's receipt, in the written standard they used."""
    guidance_request = GuidanceRequest.objects.select_related("centre", "municipality").get(
        pk=request_id
    )
    if not guidance_request.email:
        return 0
    subject, body = _render(
        "guidance_receipt", {"guidance_request": guidance_request}, guidance_request.language
    )
    return send_mail(subject, body, None, [guidance_request.email])


def _staff_recipients(centre):
    """(email, language) of the centre's staff, in each one's admin language; else the centre."""
    recipients = {}
    group = CentreAccess.group_of(centre)
    if group:
        for user in group.user_set.filter(is_active=True).exclude(email=""):
            language = UserProfile.get_for_user(user).preferred_language
            if language not in dict(settings.LANGUAGES):
                language = settings.LANGUAGE_CODE
            recipients[user.email] = language
    if not recipients and centre.email:
        recipients[centre.email] = centre.locale.language_code
    return recipients


def _organisation_recipient():
    """With no centre at all (none serves the municipality and none is the fallback), the
    network's own address from the site settings hears of the request."""
    from wagtail.models import Site

    from portal.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    email = SiteSettings.for_site(site).email if site else ""
    return {email: settings.LANGUAGE_CODE} if email else {}


@task()
def notify_centre(request_id):
    """Tell the centre's staff that a request has arrived; the details stay in the admin."""
    from wagtail.admin.admin_url_finder import AdminURLFinder

    guidance_request = GuidanceRequest.objects.select_related("centre", "municipality").get(
        pk=request_id
    )
    path = AdminURLFinder().get_edit_url(guidance_request) or "/admin/"
    context = {
        "guidance_request": guidance_request,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
    }
    if guidance_request.centre:
        recipients = _staff_recipients(guidance_request.centre)
    else:
        recipients = _organisation_recipient()
    sent = 0
    for email, language in recipients.items():
        subject, body = _render("guidance_notification", context, language)
        sent += send_mail(subject, body, None, [email])
    return sent


@task()
def warn_of_expiry(request_ids):
    """Tell a centre's staff which open requests will soon be anonymised unless someone acts."""
    from wagtail.admin.admin_url_finder import AdminURLFinder

    requests = list(
        GuidanceRequest.objects.filter(pk__in=request_ids, anonymised_at__isnull=True)
        .select_related("centre", "municipality")
        .order_by("pk")
    )
    if not requests:
        return 0
    finder = AdminURLFinder()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    open_for = datetime.timedelta(days=settings.GUIDANCE_REQUEST_OPEN_DAYS)
    expiring = [
        (r, r.status_changed_at + open_for, base + finder.get_edit_url(r)) for r in requests
    ]
    context = {"expiring": expiring, "open_days": settings.GUIDANCE_REQUEST_OPEN_DAYS}
    centre = requests[0].centre
    recipients = _staff_recipients(centre) if centre else _organisation_recipient()
    sent = 0
    for email, language in recipients.items():
        subject, body = _render("guidance_expiry_warning", context, language)
        sent += send_mail(subject, body, None, [email])
    return sent
