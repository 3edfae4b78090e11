from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DesignsystemetFormMixin

from .search import MAX_QUERY_LENGTH


class SearchForm(DesignsystemetFormMixin, forms.Form):
    """The search's GET form: a query too long or with a NUL character is reported, not run."""

    q = forms.CharField(
        label=_("Search the site"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
        error_messages={"max_length": _("Write at most %(limit_value)s characters.")},
    )

    def query(self):
        """The valid query, stripped; empty when there is none or it is invalid."""
        if not self.is_valid():
            return ""
        return self.cleaned_data["q"].strip()
