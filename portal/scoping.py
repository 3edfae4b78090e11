"""Admin objects that each staff user sees only part of: the guidance requests of their centre,
the participants of their providers' courses.

The model's manager answers `visible_to(user)`; these pieces hold every admin view to it.
Wagtail filters listings through the permission policy, but some object views look objects up
by primary key alone (wagtail #10746, #13314), so every object view checks the scope as well;
and Wagtail's site history shows the log entries of every object whose content type the user
has any permission for, so each such model keeps its history apart, scoped the same way.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.functions import Cast
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager
from wagtail.permission_policies import ModelPermissionPolicy


def visible(model, user):
    return model._default_manager.visible_to(user)


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the objects `visible_to` the user; `refused` actions are
    nobody's (objects that come from the public, for example, are never added in the admin)."""

    def __init__(self, model, refused=(), **kwargs):
        super().__init__(model, **kwargs)
        self.refused = set(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and visible(self.model, user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return visible(self.model, user)


class ScopedObjectMixin:
    """For a viewset's object views: an object outside the user's scope is refused."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not visible(type(obj), self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


class ScopedLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """Only the history of the objects the user may see."""
        if user.is_superuser:
            return self.all()
        # One subquery, since log entries name their object by its pk as text.
        pks = visible(self.model.scoped_model, user).values(pk_text=Cast("pk", models.CharField()))
        return self.filter(object_id__in=pks)


class ScopedLogEntry(BaseLogEntry):
    """The admin history of one model (`scoped_model`, set by each subclass), kept apart."""

    scoped_model = None
    object_id = models.CharField(max_length=255, db_index=True)

    objects = ScopedLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        abstract = True
        ordering = ["-timestamp", "-id"]
