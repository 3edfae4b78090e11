from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from portal.models import BilingualNameMixin


class Region(BilingualNameMixin, index.Indexed):
    """A group of municipalities in the county (e.g. Sunnhordland)."""

    search_fields = [index.SearchField("name_nb"), index.SearchField("name_nn")]

    class Meta:
        ordering = ["name_nb"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Municipality(BilingualNameMixin, index.Indexed):
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
    search_fields = [
        index.SearchField("name_nb"),
        index.SearchField("name_nn"),
        index.SearchField("number"),
        index.FilterField("number"),
    ]

    class Meta:
        ordering = ["name_nb"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
