"""The public views of Kompetanseforum's pages: the forum, a training plan, a measure."""

from portal import page_cache, page_views

from . import services
from .models import ForumIndexPage, MeasurePage, TrainingPlanPage


@page_views.register(ForumIndexPage)
@page_cache.cacheable
def forum_index(request, page):
    return page.render(request, context_overrides={"plans": services.plans(page)})


# The plan and its measures show the courses' free seats, which change while no one saves.
@page_views.register(TrainingPlanPage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def training_plan(request, page):
    measures = services.plan_measures(page)
    context = {
        "measures": [m for m in measures if m.priority is not None],
        "dropped": [m for m in measures if m.priority is None],
        "report": services.results_report(page),
    }
    return page.render(request, context_overrides=context)


@page_views.register(MeasurePage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def measure(request, page):
    context = {"plan": page.get_parent(), **services.measure_details(page)}
    return page.render(request, context_overrides=context)
