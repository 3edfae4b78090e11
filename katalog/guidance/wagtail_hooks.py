from wagtail import hooks

from .models import GuidanceRequest, GuidanceRequestLogEntry
from .viewsets import CentreAccessViewSet, GuidanceRequestViewSet


@hooks.register("register_admin_viewset")
def register_guidance_request_viewset():
    return GuidanceRequestViewSet("guidance_requests")


@hooks.register("register_admin_viewset")
def register_centre_access_viewset():
    return CentreAccessViewSet("centre_access")


@hooks.register("register_log_actions")
def log_guidance_requests_apart(actions):
    actions.register_model(GuidanceRequest, GuidanceRequestLogEntry)
