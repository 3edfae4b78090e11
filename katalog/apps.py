from django.apps import AppConfig
from django.conf import settings

TAXONOMIES = ("Municipality", "Region", "Category", "Audience")


class KatalogConfig(AppConfig):
    name = "katalog"

    def ready(self):
        from portal import content_cache

        content_cache.watch(*(self.get_model(name) for name in TAXONOMIES))
        if settings.ELASTICSEARCH_URL:
            from wagtail.signals import page_published, page_unpublished

            from . import elastic

            def reindex(sender, instance, **kwargs):
                if isinstance(instance.specific, self.get_model("CoursePage")):
                    elastic.reindex_course(instance.translation_key)

            page_published.connect(reindex, weak=False, dispatch_uid="katalog-es-published")
            page_unpublished.connect(reindex, weak=False, dispatch_uid="katalog-es-unpublished")
