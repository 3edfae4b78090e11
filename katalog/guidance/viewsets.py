"""The guidance-request inbox in Wagtail's admin; staff see only their own centre's requests.

Every view is held to `GuidanceRequest.objects.visible_to` (portal.scoping says why and how).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.scoped_admin import ScopedModelViewSet
from portal.scoping import ScopedObjectMixin, ScopedPermissionPolicy

from . import services
from .models import CentreAccess, GuidanceRequest

# Requests come from citizens only; nobody adds or copies them in the admin.
register_permission_policy(
    GuidanceRequest,
    ScopedPermissionPolicy(GuidanceRequest, refused=["add"]),
    exact_class=True,
)


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        return GuidanceRequest.objects.visible_to(self.request.user).select_related(
            "centre", "municipality", "assigned_to"
        )


class EditView(ScopedObjectMixin, generic.EditView):
    def get_form(self, *args, **kwargs):
        # Assign only to the centre's own staff; other centres' people are none of its business.
        form = super().get_form(*args, **kwargs)
        group = CentreAccess.group_of(self.object.centre) if self.object.centre else None
        users = (
            group.user_set.filter(is_active=True)
            if group
            else form.fields["assigned_to"].queryset.none()
        )
        if self.object.assigned_to_id:
            users = users | form.fields["assigned_to"].queryset.filter(
                pk=self.object.assigned_to_id
            )
        form.fields["assigned_to"].queryset = users.distinct()
        # Offer only the statuses the workflow allows from the stored one.
        allowed = services.allowed_statuses(self.object)
        form.fields["status"].choices = [
            choice for choice in form.fields["status"].choices if choice[0] in allowed
        ]
        return form

    def save_instance(self):
        instance = self.form.save(commit=False)
        previous = GuidanceRequest.objects.get(pk=instance.pk)
        new_status, instance.status = instance.status, previous.status
        services.change_status(instance, new_status)
        instance.save()
        return instance


class InspectView(ScopedObjectMixin, generic.InspectView):
    pass


class GuidanceRequestViewSet(ScopedModelViewSet):
    model = GuidanceRequest
    icon = "mail"
    menu_label = _("Guidance requests")
    add_to_admin_menu = True
    menu_order = 250
    search_backend_name = None
    index_view_class = IndexView
    edit_view_class = EditView
    inspect_view_class = InspectView
    inspect_view_enabled = True
    list_display = [
        "name",
        "topic",
        "municipality",
        "centre",
        Column("status", label=_("status"), accessor="get_status_display"),
        "assigned_to",
        DateColumn("created_at", label=_("received"), sort_key="created_at"),
    ]
    list_filter = ["status", "topic", "centre", "routed_to_fallback"]
    list_export = [
        "created_at",
        *GuidanceRequest.SUBMITTED_FIELDS,
        "centre",
        "status",
        "assigned_to",
        "internal_notes",
    ]
    export_filename = "guidance-requests"
    search_fields = ["name", "email", "phone", "message"]
    inspect_view_fields = [
        "created_at",
        *GuidanceRequest.SUBMITTED_FIELDS,
        "self_assessment",
        "centre",
        "routed_to_fallback",
        "language",
        "status",
        "status_changed_at",
        "assigned_to",
        "internal_notes",
        "consented_at",
        "consent_version",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldPanel("assigned_to"),
                    FieldPanel("internal_notes"),
                ],
                heading=_("Case handling"),
            )
        ]
    )


class CentreAccessViewSet(ModelViewSet):
    """Who reads which centre's requests; changes are logged in the object's history."""

    model = CentreAccess
    icon = "lock"
    menu_label = _("Centre access")
    add_to_settings_menu = True
    menu_order = 900
    search_backend_name = None
    copy_view_enabled = False
    list_display = ["centre", "group"]
    form_fields = ["centre", "group"]
