from django.apps import AppConfig


class ForumConfig(AppConfig):
    """Kompetanseforum: the municipalities' competence needs, the training plan that answers them
    with measures and courses, and the yearly results report."""

    name = "forum"
