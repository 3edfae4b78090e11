from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """The course catalogue: courses, sessions, enrolment, catalogue search, feeds."""

    name = "katalog.courses"
    label = "courses"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from portal import content_cache
        from portal.demo import records_loaded

        # Registered on import: the retention notes and the views of the page types.
        from . import retention, views  # noqa: F401
        from .search import elastic

        # Cached course pages carry their provider and category (portal.middleware), and cached
        # pages show sessions (portal.page_cache).
        content_cache.watch(
            self.get_model("Category"),
            self.get_model("Audience"),
            self.get_model("Provider"),
            self.get_model("CourseSession"),
        )
        # A published revision writes its sessions' seat counters as they were when it was saved.
        page_published.connect(
            _settle_seats, sender=self.get_model("CoursePage"), dispatch_uid="courses-seats"
        )
        records_loaded.connect(
            _recount_demo_seats, sender=self.get_model("Enrolment"), dispatch_uid="courses-demo"
        )
        connect_search_index(settings.CATALOGUE_SEARCH_BACKEND)
        # The handlers do nothing unless ELASTICSEARCH_URL is set.
        for signal in (page_published, page_unpublished):
            signal.connect(elastic.reindex_published, dispatch_uid="courses-es-published")
        for signal in (post_save, post_delete):
            signal.connect(
                elastic.reindex_restricted,
                sender=PageViewRestriction,
                dispatch_uid="courses-es-restricted",
            )


def connect_search_index(backend):
    """With Elasticsearch as the catalogue's backend, its documents follow every change of seats
    (the database backend reads them at each search)."""
    from . import services
    from .search import elastic

    if backend == elastic.__name__:
        services.seats_changed.connect(elastic.reindex_seats, dispatch_uid="courses-es-seats")


def _settle_seats(sender, instance, **kwargs):
    from . import services

    services.settle_course(instance)


def _recount_demo_seats(sender, records, **kwargs):
    from . import services

    services.recount_seats({record.session.translation_key for record in records})
