from django.apps import AppConfig


class NyheiterConfig(AppConfig):
    """News, their index and its Atom feed per written standard."""

    name = "nyheiter"

    def ready(self):
        from . import views  # noqa: F401 (registers the index's views)
