"""The news article's admin form: a centre's editors publish in their own centre's name only."""

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from portal.page_forms import BasePageForm


class NewsPageForm(BasePageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user, field = self.for_user, self.fields.get("publisher")
        if user is None or field is None or user.is_superuser:
            return
        parent = self.parent_page or (self.instance.pk and self.instance.get_parent())
        if parent and parent.permissions_for_user(user).can_edit():
            return  # the network's editors: any centre, or none for the network's own news
        # The centres whose page the user may edit; the article must name one of them.
        editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
        field.queryset = field.queryset.filter(
            pk__in=editable.values("pk"), locale_id=(parent or self.instance).locale_id
        )
        field.required = True
        field.empty_label = None
        field.help_text = _("The centre behind the article: one whose page you edit.")
        field.error_messages["required"] = _("Choose the centre the article is from.")
