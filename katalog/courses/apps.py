from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """The course catalogue: courses, sessions, catalogue search, feeds."""

    name = "katalog.courses"
    label = "courses"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from portal import content_cache

        # Registered on import: the retention notes and the views of the page types.
        from . import retention, views  # noqa: F401
        from .search import elastic

        content_cache.watch(self.get_model("Category"), self.get_model("Audience"))
        # The handlers do nothing unless ELASTICSEARCH_URL is set.
        for signal in (page_published, page_unpublished):
            signal.connect(elastic.reindex_published, dispatch_uid="courses-es-published")
        for signal in (post_save, post_delete):
            signal.connect(
                elastic.reindex_restricted,
                sender=PageViewRestriction,
                dispatch_uid="courses-es-restricted",
            )
