from wagtail import hooks

from .models import Need, NeedLogEntry
from .viewsets import ForumViewSetGroup


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()


@hooks.register("register_log_actions")
def log_needs_apart(actions):
    actions.register_model(Need, NeedLogEntry)
