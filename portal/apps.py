from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import (
            apertium,  # noqa: F401 (registers its system check)
            content_cache,
            exports,
            page_cache,
            retention,
            tasks,
        )

        exports.protect()
        retention.register_framework_rules()
        # Every deploy migrates, so the daily purge is scheduled without anyone remembering to.
        post_migrate.connect(lambda **kwargs: tasks.schedule_purge(), sender=self, weak=False)
        # The same for the worker's heartbeat, which /health/ reads (portal.health).
        post_migrate.connect(lambda **kwargs: tasks.schedule_heartbeat(), sender=self, weak=False)
        # And Wagtail's scheduled publishing, a minute apart.
        post_migrate.connect(lambda **kwargs: tasks.schedule_publishing(), sender=self, weak=False)

        # Cached pages show images and link documents (portal.page_cache).
        content_cache.watch(self.get_model("SiteSettings"), get_image_model(), get_document_model())
        for signal in (post_save, post_delete, post_page_move):
            signal.connect(content_cache.invalidate_on_change)
        for signal in (page_published, page_unpublished):
            signal.connect(page_cache.purge_listings, dispatch_uid="portal-purge-listings")
        for signal in (post_save, post_delete):
            signal.connect(
                page_cache.purge_restricted,
                sender=PageViewRestriction,
                dispatch_uid="portal-purge-restricted",
            )
