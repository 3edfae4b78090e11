"""The admin forms of the forum: a need, registered for the member's own municipality; a
result indicator's measured value."""

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from katalog.places.models import Municipality

from .models import ForumMember, ResultIndicator, is_coordinator


class NeedForm(WagtailAdminModelForm):
    """A municipality's member registers needs for that municipality only, and finds it chosen;
    an employees' organisation's member and the coordinators, for any municipality. Anybody else
    has no municipality to choose (and is told why)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("municipality")
        if field is None or self.for_user is None:
            return
        member = ForumMember.of(self.for_user)
        if is_coordinator(self.for_user) or (member and not member.municipality_id):
            return
        if member is None:
            field.queryset = Municipality.objects.none()
            field.error_messages["invalid_choice"] = field.error_messages["required"] = _(
                "Only the members and coordinators of Kompetanseforum register needs. Ask a "
                "coordinator to add you as a forum member."
            )
            return
        field.queryset = Municipality.objects.filter(pk=member.municipality_id)
        field.empty_label = None
        field.error_messages["invalid_choice"] = _(
            "You register needs for %(municipality)s only. Another municipality's needs are "
            "registered by its own members."
        ) % {"municipality": member.municipality}
        if not self.instance.pk:
            self.initial["municipality"] = member.municipality_id


class IndicatorMeasurementForm(WagtailAdminModelForm):
    """Measurements belong to the indicators of the plan's source language; the nynorsk copy of
    an indicator finds them by its translation key (forum.models.IndicatorMeasurement)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("indicator")
        if field is not None:
            field.queryset = (
                ResultIndicator.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
                .select_related("page")
                .order_by("page__title", "sort_order", "pk")
            )
