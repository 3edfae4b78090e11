"""A ModelViewSet whose every object view is held to the model's `visible_to` (portal.scoping)."""

from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from .scoping import ScopedObjectMixin


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    pass


class ScopedModelViewSet(ModelViewSet):
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
