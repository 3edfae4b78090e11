"""Email about guidance requests, sent by the django-tasks worker (never inside a transaction),
and tried again after an outage of the mail server (portal.mail)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task
from wagtail.users.models import UserProfile

from portal.mail import email_task

from .models import CentreAccess, GuidanceRequest


def _render(template, context, language):
    with translation.override(language):
        subject = render_to_string(f"guidance/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"guidance/email/{template}.txt", context)
    return subject, body


@email_task
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


def _staff(centre):
    """{user id: (email, language)} of the centre's active staff, one per address, each in
    their admin language."""
    staff, seen = {}, set()
    group = CentreAccess.group_of(centre)
    if group:
        for user in group.user_set.filter(is_active=True).exclude(email="").order_by("pk"):
            if user.email in seen:
                continue
            seen.add(user.email)
            language = UserProfile.get_for_user(user).preferred_language
            if language not in dict(settings.LANGUAGES):
                language = settings.LANGUAGE_CODE
            staff[user.pk] = (user.email, language)
    return staff


def _own_address(centre):
    """(email, language) that hears of a centre's requests when it has no staff: the centre's
    address; with no centre at all (none serves the municipality and none is the fallback),
    the network's own address from the site settings."""
    if centre:
        return (centre.email, centre.locale.language_code) if centre.email else None
    from wagtail.models import Site

    from portal.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    email = SiteSettings.for_site(site).email if site else ""
    return (email, settings.LANGUAGE_CODE) if email else None


def _recipients(centre):
    """Who is told: the centre's staff by user id; with none, None for its own address."""
    staff = list(_staff(centre)) if centre else []
    return staff or ([None] if _own_address(centre) else [])


def _address(centre, recipient):
    """(email, language) of a recipient, or None when they are no longer one (a retry after an
    outage finds the staff as they are then)."""
    if recipient is None:
        return _own_address(centre)
    return _staff(centre).get(recipient) if centre else None


# One email task per recipient, so that a retry after an outage sends again only to those who
# did not get it (portal.mail).


@task()
def notify_centre(request_id):
    """Tell the centre's staff that a request has arrived; the details stay in the admin."""
    centre = GuidanceRequest.objects.select_related("centre").get(pk=request_id).centre
    recipients = _recipients(centre)
    for recipient in recipients:
        notify_recipient.enqueue(request_id, recipient)
    return len(recipients)


@email_task
def notify_recipient(request_id, recipient):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    guidance_request = GuidanceRequest.objects.select_related("centre", "municipality").get(
        pk=request_id
    )
    address = _address(guidance_request.centre, recipient)
    if address is None:
        return 0
    email, language = address
    path = AdminURLFinder().get_edit_url(guidance_request) or "/admin/"
    context = {
        "guidance_request": guidance_request,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
    }
    subject, body = _render("guidance_notification", context, language)
    return send_mail(subject, body, None, [email])


def _expiring(request_ids):
    return list(
        GuidanceRequest.objects.filter(pk__in=request_ids, anonymised_at__isnull=True)
        .select_related("centre", "municipality")
        .order_by("pk")
    )


@task()
def warn_of_expiry(request_ids):
    """Tell a centre's staff which open requests will soon be anonymised unless someone acts."""
    requests = _expiring(request_ids)
    if not requests:
        return 0
    recipients = _recipients(requests[0].centre)
    for recipient in recipients:
        warn_recipient.enqueue(request_ids, recipient)
    return len(recipients)


@email_task
def warn_recipient(request_ids, recipient):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    requests = _expiring(request_ids)
    address = requests and _address(requests[0].centre, recipient)
    if not address:
        return 0
    email, language = address
    finder = AdminURLFinder()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    open_for = datetime.timedelta(days=settings.GUIDANCE_REQUEST_OPEN_DAYS)
    expiring = [
        (r, r.status_changed_at + open_for, base + finder.get_edit_url(r)) for r in requests
    ]
    context = {"expiring": expiring, "open_days": settings.GUIDANCE_REQUEST_OPEN_DAYS}
    subject, body = _render("guidance_expiry_warning", context, language)
    return send_mail(subject, body, None, [email])
