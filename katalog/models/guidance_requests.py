from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager


class GuidanceRequest(models.Model):
    """A citizen's request for guidance, routed to the centre that serves their municipality."""

    # What the citizen fills in: the public form, the admin's inspect view and export share it.
    SUBMITTED_FIELDS = (
        "name",
        "email",
        "phone",
        "municipality",
        "topic",
        "contact_method",
        "contact_time",
        "message",
    )

    class Topic(models.TextChoices):
        CAREER = "career", _("Career")
        STUDY = "study", _("Studies")
        PRIOR_LEARNING = "prior_learning", _("Prior learning")
        OTHER = "other", _("Something else")

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    class ContactTime(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Before noon")
        AFTERNOON = "afternoon", _("After noon")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("guidance request status", "New")
        CONTACTED = "contacted", pgettext_lazy("guidance request status", "Contacted")
        CLOSED = "closed", pgettext_lazy("guidance request status", "Closed")

    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    language = models.CharField(_("written standard"), max_length=2, choices=settings.LANGUAGES)
    centre = models.ForeignKey(
        "katalog.CentrePage",
        verbose_name=_("centre"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="guidance_requests",
    )
    routed_to_fallback = models.BooleanField(_("sent to the fallback centre"), default=False)
    municipality = models.ForeignKey(
        "katalog.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    topic = models.CharField(_("what it is about"), max_length=20, choices=Topic.choices)
    contact_method = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactMethod.choices
    )
    contact_time = models.CharField(
        _("preferred time"), max_length=10, choices=ContactTime.choices, default=ContactTime.ANY
    )
    message = models.TextField(_("message"), blank=True)
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("guidance request")
        verbose_name_plural = _("guidance requests")

    def __str__(self):
        # Admin titles, log labels and exports show this: it must never carry personal data.
        return _("Request %(number)s – %(topic)s") % {
            "number": self.pk,
            "topic": self.get_topic_display(),
        }


class GuidanceRequestLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """Only the history of requests the user may see, not of every request of the type.

        Wagtail's site history otherwise shows log entries of every object whose content type
        the user has any permission for (see the module docstring of the inbox admin).
        """
        from ..guidance_services import requests_visible_to

        if user.is_superuser:
            return self.all()
        visible = requests_visible_to(user).values_list("pk", flat=True)
        return self.filter(object_id__in=[str(pk) for pk in visible])


class GuidanceRequestLogEntry(BaseLogEntry):
    """The admin history of guidance requests, kept apart so that it is scoped like the inbox."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = GuidanceRequestLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("guidance request log entry")
        verbose_name_plural = _("guidance request log entries")
