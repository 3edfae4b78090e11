from django.apps import AppConfig


class PlacesConfig(AppConfig):
    """Regions and municipalities: the only thing the courses and guidance rooms share."""

    name = "katalog.places"
    label = "places"

    def ready(self):
        from portal import content_cache

        content_cache.watch(self.get_model("Municipality"), self.get_model("Region"))
