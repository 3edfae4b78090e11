"""The course page's admin form: sessions with enrolments are cancelled, not removed."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.page_forms import BasePageForm


class CoursePageForm(BasePageForm):
    def clean(self):
        cleaned_data = super().clean()
        sessions = self.formsets.get("sessions")
        deleted = sessions.deleted_forms if sessions is not None else []
        for form in sessions.forms if sessions is not None else []:
            session = form.instance
            if form in deleted and session.pk and session.enrolments.exists():
                self.add_error(
                    None,
                    _(
                        "The session on %(start)s has enrolments and cannot be removed: "
                        "set its status to cancelled instead."
                    )
                    % {"start": timezone.localtime(session.start).strftime("%d.%m.%Y %H:%M")},
                )
            elif session.pk and "capacity" in form.changed_data:
                self._check_capacity(form)
        return cleaned_data

    def _check_capacity(self, form):
        from .models import SEAT_STATES

        capacity = getattr(form, "cleaned_data", {}).get("capacity")
        held = form.instance.enrolments.filter(state__in=SEAT_STATES).count()
        if capacity is not None and capacity < held:
            form.add_error(
                "capacity",
                _("%(held)s participants hold a seat: cancel some before lowering the capacity.")
                % {"held": held},
            )
