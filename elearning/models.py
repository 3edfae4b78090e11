"""The shared e-learning library: resources with owner, licence and language, and learning paths.

Resources are pages under the library, so they get revisions, workflows, search, the sitemap and
nb/nn through wagtail-localize. Category and target groups are the catalogue's own taxonomy
(`courses.Category`, `courses.Audience`), named by label so that no room imports the other: a
visitor filters the library by the same words as the course catalogue.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.blocks import BaseStreamBlock
from portal.models import BasePage

from .blocks import LearningPathStepsBlock


class ResourceFormat(models.TextChoices):
    ELEARNING = "elearning", _("E-learning module")
    VIDEO = "video", _("Video")
    H5P = "h5p", _("H5P")
    SCORM = "scorm", _("SCORM package")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_NC = "cc-by-nc-4.0", _("CC BY-NC 4.0")
    MEMBERS = "members", _("Free reuse for member municipalities")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")


class ResourceLanguage(models.TextChoices):
    NB = "nb", _("Bokmål")
    NN = "nn", _("Nynorsk")
    BOTH = "both", _("Bokmål and nynorsk")


class LibraryPage(BasePage):
    """The library (one per locale): resources with filters and counts, and the learning paths."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["elearning.ResourcePage", "elearning.LearningPathPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("e-learning library")


class ResourcePage(BasePage):
    """A reusable learning resource: where it is (a link or a document), who owns it and on what
    terms others may use it."""

    description = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=ResourceFormat.choices, db_index=True
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True, help_text=_("Leave empty if it varies.")
    )
    category = models.ForeignKey(
        "courses.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    audiences = ParentalManyToManyField(
        "courses.Audience", verbose_name=_("target groups"), blank=True, related_name="resources"
    )
    owner_municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("owner (municipality)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    owner_organisation = models.CharField(
        _("owner (organisation)"),
        max_length=255,
        blank=True,
        help_text=_("When the owner is not a municipality, e.g. KS or a directorate."),
    )
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, db_index=True)
    reuse_terms = models.TextField(
        _("reuse terms"),
        blank=True,
        help_text=_("Anything beyond the licence: credit line, whom to ask, what may be changed."),
    )
    language = models.CharField(
        _("language of the resource"),
        max_length=10,
        choices=ResourceLanguage.choices,
        default=ResourceLanguage.BOTH,
    )
    external_url = models.URLField(_("external address"), max_length=500, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("format"), FieldPanel("duration_minutes")]),
                FieldPanel("category"),
                FieldPanel("audiences"),
                FieldPanel("language"),
            ],
            heading=_("Facts"),
        ),
        MultiFieldPanel(
            [FieldPanel("external_url"), FieldPanel("document")],
            heading=_("The resource"),
            help_text=_("An external address or an uploaded document: one of the two."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("owner_municipality"), FieldPanel("owner_organisation")]),
                FieldPanel("licence"),
                FieldPanel("reuse_terms"),
            ],
            heading=_("Owner and licence"),
        ),
        FieldPanel("description"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.SearchField("owner_organisation"),
        index.FilterField("format"),
        index.FilterField("licence"),
        index.FilterField("language"),
        index.FilterField("category"),
    ]
    # Facts of the resource itself: the same in both written standards.
    override_translatable_fields = [
        SynchronizedField("owner_organisation"),
        SynchronizedField("external_url"),
    ]
    parent_page_types = ["elearning.LibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("e-learning resource")
        verbose_name_plural = _("e-learning resources")

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.owner_municipality_id) == bool(self.owner_organisation.strip()):
            errors["owner_organisation"] = _(
                "Give the owner: a municipality or an organisation, one of the two."
            )
        if bool(self.external_url) == bool(self.document_id):
            errors["external_url"] = _(
                "Give the resource: an external address or a document, one of the two."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def owner_name(self):
        return (
            self.owner_municipality.name if self.owner_municipality_id else self.owner_organisation
        )

    @property
    def resource_url(self):
        return self.document.url if self.document_id else self.external_url

    @property
    def duration(self):
        """«1 t 30 min»-style text, or empty."""
        if not self.duration_minutes:
            return ""
        hours, minutes = divmod(self.duration_minutes, 60)
        if not hours:
            return _("%(minutes)s min") % {"minutes": minutes}
        if not minutes:
            return _("%(hours)s h") % {"hours": hours}
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


class LearningPathPage(BasePage):
    """An ordered path of resources and courses for a role (new employees, first-line leaders)."""

    role = models.CharField(
        _("for whom"),
        max_length=255,
        blank=True,
        help_text=_("The role the path is for, e.g. new employees in home care."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    steps = StreamField(LearningPathStepsBlock(), verbose_name=_("steps"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("role"),
        FieldPanel("body"),
        FieldPanel("steps"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("role"),
        index.SearchField("body"),
    ]
    parent_page_types = ["elearning.LibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
