"""What the forum adds to other rooms' pages: the measures of the plan a course delivers."""

from django import template

from forum import services

register = template.Library()


@register.simple_tag
def measures_delivered_by(page):
    """The live measures the course page delivers, each with `plan_title`; one query when the
    content has changed, none after."""
    return services.measures_delivered_by(page)
