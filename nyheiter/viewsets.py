"""The newsletter in Wagtail's admin: the subscribers (listed, filtered, exported; never added
or edited by hand, since only a confirmed opt-in puts an address on the list) and the page that
previews and sends the digest."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services, tasks
from .models import Digest, Subscriber

SEND_PERMISSION = "nyheiter.send_digest"


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action not in ("add", "change") and super().user_has_permission(user, action)


register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber), exact_class=True)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Newsletter subscribers")
    add_to_admin_menu = True
    menu_order = 260
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("email", label=_("email"), accessor="email"),
        Column("language", label=_("written standard"), accessor="get_language_display"),
        Column("state", label=_("state"), accessor="get_state_display"),
        DateColumn("created_at", label=_("subscribed"), sort_key="created_at"),
        DateColumn("confirmed_at", label=_("confirmed"), sort_key="confirmed_at"),
    ]
    list_filter = ["state", "language"]
    list_export = [
        "email",
        "get_language_display",
        "get_state_display",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_headings = {
        "get_language_display": _("written standard"),
        "get_state_display": _("state"),
    }
    export_filename = "newsletter-subscribers"
    search_fields = ["email"]
    inspect_view_fields = [
        "email",
        "language",
        "state",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "anonymised_at",
    ]
    form_fields = ["email", "language"]


class SendForm(forms.Form):
    cutoff = forms.DateTimeField(widget=forms.HiddenInput)

    def clean_cutoff(self):
        cutoff = self.cleaned_data["cutoff"]
        if cutoff > timezone.now():
            raise forms.ValidationError(_("The preview is from the future; reload the page."))
        return cutoff


class SendDigestView(WagtailAdminTemplateMixin, TemplateView):
    """The digest of the news since the last one, as each standard's subscribers will get it,
    and the button that sends it (to the confirmed subscribers, in batches)."""

    template_name = "nyheiter/admin/send_digest.html"
    page_title = _("Send the newsletter")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title}]

    def get_context_data(self, cutoff=None, **kwargs):
        context = super().get_context_data(**kwargs)
        cutoff = cutoff or timezone.now()
        previews, anything = [], False
        for language, (news, count) in services.preview(cutoff).items():
            index = tasks.news_index(language)
            email = None
            if news and index is not None:
                sample = Subscriber(pk=0, email="navn@example.no", language=language)
                listed = [(page, page.get_full_url()) for page in news]
                email = tasks.digest_message(sample, index, listed)
            anything = anything or bool(news)
            previews.append(
                {"language": language, "news": news, "recipients": count, "email": email}
            )
        context.update(
            previews=previews,
            anything=anything,
            since=services.previous_cutoff(),
            form=SendForm(initial={"cutoff": cutoff.isoformat()}),
            digests=Digest.objects.annotate(
                news_count=Count("pages", distinct=True),
                delivered=Count("deliveries", distinct=True),
            ).select_related("sent_by")[:10],
        )
        return context

    def post(self, request, *args, **kwargs):
        form = SendForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("cutoff", [])))
            return redirect("newsletter_send")
        try:
            digest = services.send_digest(form.cleaned_data["cutoff"], user=request.user)
        except services.NothingNew:
            messages.warning(request, _("No news has been published since the last newsletter."))
        else:
            messages.success(
                request,
                _("The newsletter with %(n)s news is on its way to the subscribers.")
                % {"n": digest.pages.count()},
            )
        return redirect(reverse("newsletter_send"))
