from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from . import content_cache, exports

        exports.protect()

        content_cache.watch(self.get_model("SiteSettings"))
        for signal in (post_save, post_delete, post_page_move):
            signal.connect(content_cache.invalidate_on_change)
