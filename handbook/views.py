"""The handbook's contents, its chapters with previous and next, and the whole on one page."""

from portal import page_cache, page_views

from .models import ChapterPage, HandbookPage


@page_views.register(HandbookPage)
@page_cache.cacheable
def contents(request, page):
    return page.render(request, context_overrides={"chapters": list(page.chapters())})


@page_views.register(HandbookPage, "whole")
@page_cache.cacheable
def whole(request, page):
    return page.render(
        request,
        template="handbook/handbook_whole.html",
        context_overrides={
            "chapters": list(page.chapters()),
            "subpage_path": page.reverse_subpage("whole"),
        },
    )


@page_views.register(ChapterPage)
@page_cache.cacheable
def chapter(request, page):
    handbook = page.get_parent().specific
    chapters = list(handbook.chapters())
    place = next(i for i, other in enumerate(chapters) if other.pk == page.pk)
    return page.render(
        request,
        context_overrides={
            "handbook": handbook,
            "chapters": chapters,
            "number": place + 1,
            "previous": chapters[place - 1] if place > 0 else None,
            "next": chapters[place + 1] if place + 1 < len(chapters) else None,
        },
    )
