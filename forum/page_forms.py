"""The measure's admin form: an editor links only the needs they may see in the register."""

from portal.page_forms import BasePageForm


class MeasurePageForm(BasePageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("needs")
        if field is None or self.for_user is None:
            return
        needs = field.queryset
        # The needs already linked stay, so that saving keeps what a coordinator chose.
        linked = [need.pk for need in self.instance.needs.all()] if self.instance.pk else []
        field.queryset = needs.filter(
            pk__in=needs.model.objects.visible_to(self.for_user).values("pk")
        ) | needs.filter(pk__in=linked)
