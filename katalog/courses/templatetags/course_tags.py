"""The session details every catalogue card and course page shows."""

import functools
import uuid

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from katalog.courses.models import CoursePage
from katalog.courses.services import availability

register = template.Library()

DATE_TIME = "j. F Y H:i"


@register.simple_tag
def session_dates(session):
    """A session's start and end as <time> elements, leaving out the end's date on the same day.

    This and session_availability are tags rather than includes because the catalogue shows
    twenty sessions on every page, and a tag costs a fraction of the template's filters.
    """
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    return format_html(
        '<time datetime="{}">{}</time>–<time datetime="{}">{}</time>',
        start.isoformat(),
        dateformat.format(start, DATE_TIME),
        end.isoformat(),
        dateformat.format(end, "H:i" if start.date() == end.date() else DATE_TIME),
    )


@register.simple_tag
def session_availability(session):
    """What a visitor can do now, as a coloured tag ("4 free seats", "Full – waiting list"…)."""
    state = availability(session)
    if state == "cancelled":
        color, label = "danger", pgettext("session status", "Cancelled")
    elif state == "closed":
        color, label = "neutral", gettext("Enrolment closed")
    elif state == "full":
        color, label = "warning", gettext("Full – waiting list")
    else:
        seats = session.free_seats
        label = ngettext("%(counter)s free seat", "%(counter)s free seats", seats)
        color, label = "success", label % {"counter": seats}
    return format_html('<span class="ds-tag" data-color="{}">{}</span>', color, label)


@functools.cache
def enrolment_route():
    """The enrolment form's path below a course page, split around the session's key.

    The route is the course page class's own, so no page needs loading for it, and it is
    reversed once: a course page lists up to a hundred sessions, each with this link.
    """
    key = uuid.UUID(int=0)
    before, after = CoursePage.get_resolver().reverse("enrolment_form", key).split(str(key))
    return before, after


@register.simple_tag
def session_enrol_link(session):
    """The session's "Enrol" (or "Join the waiting list") link while either is possible."""
    state = availability(session)
    if state not in ("open", "full"):
        return ""
    before, after = enrolment_route()
    url = f"{session.course.url}{before}{session.translation_key}{after}"
    label = gettext("Join the waiting list") if state == "full" else gettext("Enrol")
    return format_html('<a class="ds-link" href="{}">{}</a>', url, label)


@register.simple_tag
def facet_options(groups):
    """A filter's <option>s with their facet counts, in <optgroup>s where a group is named.

    The selected option is marked; an option no session matches is disabled. A tag, like the
    two above, because the municipality filter alone has over forty options on every page.
    """
    html = []
    for group, options in groups:
        items = format_html_join(
            "",
            '<option value="{}"{}>{} ({})</option>',
            (
                (
                    option["value"],
                    " selected" if option["selected"] else "" if option["count"] else " disabled",
                    option["label"],
                    option["count"],
                )
                for option in options
            ),
        )
        html.append(
            format_html('<optgroup label="{}">{}</optgroup>', group, items) if group else items
        )
    return mark_safe("".join(html))
