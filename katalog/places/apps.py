from django.apps import AppConfig


class PlacesConfig(AppConfig):
    """Regions and municipalities: the only thing the courses and guidance rooms share."""

    name = "katalog.places"
    label = "places"

    def ready(self):
        from portal import apertium, content_cache

        Municipality, Region = self.get_model("Municipality"), self.get_model("Region")
        content_cache.watch(Municipality, Region)
        # Place names are proper names: the machine translator leaves them as they are
        # ("i Stad" is not "i stad", just now).
        apertium.register_proper_names(lambda: place_names(Municipality, Region))


def place_names(*models):
    return [
        name
        for model in models
        for pair in model.objects.values_list("name_nb", "name_nn")
        for name in pair
    ]
