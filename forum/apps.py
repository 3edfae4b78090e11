from django.apps import AppConfig


class ForumConfig(AppConfig):
    """Kompetanseforum: the municipalities' competence needs, the training plan that answers them
    with measures and courses, and the yearly results report."""

    name = "forum"

    def ready(self):
        from portal import content_cache

        # Registered on import: the retention notes and the views of the page types.
        from . import report, retention, views  # noqa: F401

        # The plan and report pages show needs and measured values.
        content_cache.watch(self.get_model("Need"), self.get_model("IndicatorMeasurement"))
