from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal import content_cache
from portal.blocks import BaseStreamBlock
from portal.models import BasePage

from .page_forms import NewsPageForm
from .permissions import NewsPermissionTester


class NewsQuerySet(PageQuerySet):
    def latest_in(self, locale, limit):
        return (
            self.live()
            .public()
            .filter(locale=locale)
            .select_related("listing_image")
            .order_by("-date", "-pk")[:limit]
        )


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The news listing (one per locale), and its Atom feed (views in nyheiter/views.py)."""

    PER_PAGE = 12

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["nyheiter.NewsPage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tags = self.tags()
        tag = next((t for t in tags if t.slug == request.GET.get("tag")), None)
        news = self.news(tag)
        context.update(
            news=Paginator(news, self.PER_PAGE).get_page(request.GET.get("page")),
            tags=tags,
            tag=tag,
            unknown_tag="tag" in request.GET and tag is None,
        )
        return context

    def news(self, tag=None):
        news = NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")
        return news.filter(tags=tag) if tag else news

    def tags(self):
        """The tags of this index's live, public news, each with its count of them, read once
        per content version."""
        return content_cache.cached(
            "news-tags",
            lambda: list(
                Tag.objects.filter(nyheiter_newspagetag_items__content_object__in=self.news())
                .annotate(count=models.Count("nyheiter_newspagetag_items"))
                .order_by("name")
            ),
            self.pk,
        )

    @path("")
    def listing(self, request):
        return self.serve_route("", request)

    @path("feed/")
    def feed(self, request):
        return self.serve_route("feed", request)

    # The newsletter (nyheiter/views.py); the same words in both standards, as the enrolment's.
    @path("nyhendebrev/")
    def subscribe(self, request):
        return self.serve_route("subscribe", request)

    @path("nyhendebrev/takk/")
    def subscribed(self, request):
        return self.serve_route("subscribed", request)

    @path("nyhendebrev/stadfest/<str:token>/")
    def confirm(self, request, token):
        return self.serve_route("confirm", request, token)

    @path("nyhendebrev/avmeld/<str:token>/")
    def unsubscribe(self, request, token):
        return self.serve_route("unsubscribe", request, token)

    class Meta:
        verbose_name = _("news index")


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "nyheiter.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    # Shared by the nb and nn twins (synchronised), so written as both standards read them.
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    publisher = models.ForeignKey(
        "guidance.CentrePage",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The centre behind the article; leave empty when it is the network's."),
    )

    objects = PageManager.from_queryset(NewsQuerySet)()

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("publisher"),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["nyheiter.NewsIndexPage"]
    subpage_types = []
    base_form_class = NewsPageForm

    class Meta:
        verbose_name = _("news article")

    def permissions_for_user(self, user):
        return NewsPermissionTester(user, self)


class Subscriber(models.Model):
    """One address on the newsletter, in one written standard; mail goes only to confirmed ones.

    One row per address (in any case): subscribing again changes its standard, and an
    anonymised row (email emptied) keeps only the dates, for counts.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("written standard"), max_length=2, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="nyheiter_subscriber_unique_email"
            )
        ]
        indexes = [models.Index(fields=["state", "language"])]

    def __str__(self):
        # No address: the admin's history and logs must not spread it.
        return _("Subscriber %(pk)s") % {"pk": self.pk}


class Digest(models.Model):
    """One sending of the newsletter: the news of each standard first published after the
    previous digest's cutoff and up to this one's (`pages` holds both standards' articles)."""

    cutoff = models.DateTimeField(_("news published up to"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pages = models.ManyToManyField(NewsPage, verbose_name=_("news"), related_name="+")

    class Meta:
        verbose_name = _("newsletter digest")
        verbose_name_plural = _("newsletter digests")
        ordering = ["-cutoff", "-pk"]
        get_latest_by = "cutoff"
        permissions = [("send_digest", _("Can send the newsletter digest"))]

    def __str__(self):
        return _("Digest %(pk)s") % {"pk": self.pk}


class Delivery(models.Model):
    """That a digest went to a subscriber: claimed before the email is sent, so a retried batch
    never sends it twice (and released when sending fails, so the retry sends it)."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(fields=["digest", "subscriber"], name="nyheiter_delivery_once")
        ]
