from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.signals import post_page_move

        from . import content_cache, exports, retention, tasks

        exports.protect()
        retention.register_framework_rules()
        # Every deploy migrates, so the daily purge is scheduled without anyone remembering to.
        post_migrate.connect(lambda **kwargs: tasks.schedule_purge(), sender=self, weak=False)
        # The same for the worker's heartbeat, which /health/ reads (portal.health).
        post_migrate.connect(lambda **kwargs: tasks.schedule_heartbeat(), sender=self, weak=False)

        content_cache.watch(self.get_model("SiteSettings"))
        for signal in (post_save, post_delete, post_page_move):
            signal.connect(content_cache.invalidate_on_change)
