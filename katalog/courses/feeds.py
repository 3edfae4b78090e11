"""Machine-readable views of the catalogue: JSON for intranets, iCalendar, schema.org JSON-LD."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import ical
from .services import availability

# The escapes of Django's json_script, so that "</script>" in a title cannot end the element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def session_data(session, request):
    """One session in the JSON feed (the schema is documented in README.md)."""
    course = session.course
    municipality = session.municipality
    return {
        "id": str(session.translation_key),
        "course": course.title,
        "url": course.full_url,
        "start": timezone.localtime(session.start).isoformat(),
        "end": timezone.localtime(session.end).isoformat(),
        "enrolment_deadline": timezone.localtime(session.enrolment_deadline).isoformat(),
        "online": session.online,
        "venue": session.venue_name,
        "address": session.venue_address,
        "municipality": {"number": municipality.number, "name": municipality.name}
        if municipality
        else None,
        "mode": course.mode,
        "price": course.price,
        "capacity": session.capacity,
        "free_seats": session.free_seats,
        "status": session.status,
        "availability": availability(session),
    }


def calendar(sessions, request, name):
    """An iCalendar (RFC 5545) with one event per session."""
    return ical.calendar(sessions, request.get_host(), name)


def course_json_ld(page, sessions, request):
    """schema.org Course with a CourseInstance per session."""
    instances = []
    for session in sessions:
        instance = {
            "@type": "CourseInstance",
            "startDate": timezone.localtime(session.start).isoformat(),
            "endDate": timezone.localtime(session.end).isoformat(),
            "courseMode": "online" if session.online else "onsite",
        }
        if session.online:
            instance["location"] = {"@type": "VirtualLocation", "url": page.get_full_url(request)}
        else:
            instance["location"] = {
                "@type": "Place",
                "name": session.venue_name or session.municipality.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": session.venue_address,
                    "addressLocality": session.municipality.name,
                    "addressCountry": "NO",
                },
            }
        instances.append(instance)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.intro,
        "url": page.get_full_url(request),
        "inLanguage": page.locale.language_code,
        "provider": {"@type": "Organization", "name": page.provider.name},
        "offers": {"@type": "Offer", "price": page.price, "priceCurrency": "NOK"},
        "hasCourseInstance": instances,
    }
    return data


def json_ld_script(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
