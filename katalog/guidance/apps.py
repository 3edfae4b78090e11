from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """Ei dør for citizens: centres, the finder, guidance requests and their inbox."""

    name = "katalog.guidance"
    label = "guidance"

    def ready(self):
        from portal import content_cache

        # The finder's cached centres carry their opening hours and exception days.
        content_cache.watch(self.get_model("OpeningHours"), self.get_model("ExceptionDay"))
        # Registered on import: the retention rules and the views of the page types.
        from . import retention, views  # noqa: F401
