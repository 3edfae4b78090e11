from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from portal.models import BilingualNameMixin


class Region(BilingualNameMixin):
    """A group of municipalities in the county (e.g. Sunnhordland)."""

    class Meta:
        ordering = ["name_nb"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Municipality(BilingualNameMixin):
    """A municipality, identified by its official four-digit number (kommunenummer)."""

    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the four-digit municipality number."))],
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )

    panels = [FieldPanel("number"), *BilingualNameMixin.panels, FieldPanel("region")]

    class Meta:
        ordering = ["name_nb"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
