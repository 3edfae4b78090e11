from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.scoped_admin import PermissionMenuItem

from .viewsets import SEND_PERMISSION, SendDigestView, SubscriberViewSet


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("newsletter_subscribers")


@hooks.register("register_admin_urls")
def register_send_digest_view():
    return [path("newsletter/send/", SendDigestView.as_view(), name="newsletter_send")]


@hooks.register("register_admin_menu_item")
def register_send_digest_menu_item():
    return PermissionMenuItem(
        _("Send the newsletter"),
        reverse("newsletter_send"),
        icon_name="mail",
        order=261,
        permission=SEND_PERMISSION,
    )


@hooks.register("register_permissions")
def register_send_digest_permission():
    # So that a group (the network's editors) can be given it in the admin's group editor.
    return Permission.objects.filter(content_type__app_label="nyheiter", codename="send_digest")
