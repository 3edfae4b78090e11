"""Which view serves a page type, or one of its routes: page models declare, views implement.

A page model never imports its views (views import models, never the reverse). Instead each app's
views register themselves here, and `BasePage.serve` asks for the view of the page's type:

    @page_views.register(CoursePage)
    def course_page(request, page): ...

    @page_views.register(GuidanceIndexPage, "request_form")
    def request_form(request, page): ...

Wagtail's serve hooks (view restrictions among them) have run before `serve` is called.
"""

_views = {}


def register(page_class, route=""):
    def decorator(view):
        _views[(page_class, route)] = view
        return view

    return decorator


def view_for(page, route=""):
    """The view registered for the page's class (or the nearest base class), else None."""
    for cls in type(page).__mro__:
        view = _views.get((cls, route))
        if view is not None:
            return view
    return None
