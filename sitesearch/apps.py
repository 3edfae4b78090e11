from django.apps import AppConfig


class SitesearchConfig(AppConfig):
    """Search over every public page type, in both written standards."""

    name = "sitesearch"
