"""Who may edit a news article: the centre it names decides, not who wrote it.

A centre's editors hold "add" on the news index (portal/demo/editors.toml), which in Wagtail lets
them edit the articles they wrote. Here it is the centre instead: they may edit any article
whose publisher is a centre page they may edit (a colleague's too), and no other, even one they
wrote. Editors with "change" on the news (the network's editors) and superusers keep Wagtail's
rules. No import of the guidance room: the centre is a page, its editors are those with "change"
on it.
"""

from wagtail.models import Page, PagePermissionTester


class NewsPermissionTester(PagePermissionTester):
    def writes_for_centre(self):
        """True when the user holds "add" but not "change" here: a centre's editor."""
        return (
            self.user.is_active
            and not self.user.is_superuser
            and "add" in self.permissions
            and "change" not in self.permissions
        )

    def publisher_is_own_centre(self):
        if self.page.publisher_id is None:
            return False
        publisher = Page.objects.filter(pk=self.page.publisher_id).first()
        return publisher is not None and self.permission_policy.user_has_permission_for_instance(
            self.user, "change", publisher
        )

    def can_edit(self):
        if self.writes_for_centre():
            return self.publisher_is_own_centre()
        return super().can_edit()

    def can_delete(self, ignore_bulk=False):
        allowed = super().can_delete(ignore_bulk=ignore_bulk)
        if self.writes_for_centre():
            return allowed and self.publisher_is_own_centre()
        return allowed
