from django.apps import AppConfig


class ElearningConfig(AppConfig):
    """The shared e-learning library: reusable resources, each with owner and licence, and
    learning paths that order resources and courses for a role."""

    name = "elearning"

    def ready(self):
        # Registered on import: the views of the page types.
        from . import views  # noqa: F401
