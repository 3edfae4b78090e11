from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from .chrome import invalidate_on_change

        for signal in (post_save, post_delete, post_page_move):
            signal.connect(invalidate_on_change)
