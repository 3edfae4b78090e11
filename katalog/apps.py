from django.apps import AppConfig

TAXONOMIES = ("Municipality", "Region", "Category", "Audience")


class KatalogConfig(AppConfig):
    name = "katalog"

    def ready(self):
        from portal import content_cache

        content_cache.watch(*(self.get_model(name) for name in TAXONOMIES))

        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from . import elastic

        # The handlers do nothing unless ELASTICSEARCH_URL is set.
        for signal in (page_published, page_unpublished):
            signal.connect(elastic.reindex_published, dispatch_uid="katalog-es-published")
        for signal in (post_save, post_delete):
            signal.connect(
                elastic.reindex_restricted,
                sender=PageViewRestriction,
                dispatch_uid="katalog-es-restricted",
            )
