from django.apps import AppConfig


class HandbookConfig(AppConfig):
    """The network's methods handbook: a handbook page and its ordered chapters."""

    name = "handbook"

    def ready(self):
        from . import views  # noqa: F401 (registers the views of the page types)
