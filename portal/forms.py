"""Designsystemet markup for every public form, rendered the Django way.

Django computes `aria-invalid` and `aria-describedby` itself, naming the ids that
`templates/includes/forms/field.html` gives the error (`<auto_id>_error`) and the help text
(`<auto_id>_helptext`); this module adds only the Designsystemet class and the templates.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class DesignsystemetBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        # Widget attrs lose to these, so a class the form sets on a widget is left alone. First
        # in the dict, so the class comes first in the rendered tag.
        if widget.is_hidden or "class" in widget.attrs:
            return attrs
        return {"class": "ds-input", **attrs}


class DesignsystemetRenderer(TemplatesSetting):
    """The project's templates (not only Django's own) render the fields."""

    field_template_name = "includes/forms/field.html"
    bound_field_class = DesignsystemetBoundField


class DesignsystemetFormMixin:
    """For a public form: `{{ form.<name>.as_field_group }}` gives a field its whole markup."""

    default_renderer = DesignsystemetRenderer
