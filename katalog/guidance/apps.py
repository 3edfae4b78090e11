from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """Ei dør for citizens: centres, the finder, guidance requests and their inbox."""

    name = "katalog.guidance"
    label = "guidance"

    def ready(self):
        # Registered on import: the retention rules and the views of the page types.
        from . import retention, views  # noqa: F401
