from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import mail_report, translation_report
from .scoped_admin import PermissionMenuItem


@hooks.register("register_admin_urls")
def register_unsent_email_report():
    return mail_report.urls()


@hooks.register("register_reports_menu_item")
def register_unsent_email_menu_item():
    return PermissionMenuItem(
        _("Unsent email"),
        reverse("unsent_email"),
        icon_name="mail",
        order=950,
        permission=mail_report.PERMISSION,
    )


@hooks.register("register_permissions")
def register_task_result_permission():
    # So that a group (operations, say) can be given the report in the admin's group editor.
    app_label, codename = mail_report.PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register("register_admin_urls")
def register_translation_status_report():
    return translation_report.urls()


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return PermissionMenuItem(
        _("Translation status"),
        reverse("translation_status"),
        icon_name="globe",
        order=960,
        permission=translation_report.PERMISSION,
    )
