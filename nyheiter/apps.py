from django.apps import AppConfig


class NyheiterConfig(AppConfig):
    """News, their index and its Atom feed per written standard, and the newsletter."""

    name = "nyheiter"

    def ready(self):
        # Registered on import: the index's views and the newsletter's retention rules.
        from . import retention, views  # noqa: F401
