from django.urls import re_path

from . import views

# Wagtail's page URLs cannot hold a dot, so `<catalogue or course URL>kalender.ics` routes here.
urlpatterns = [
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)kalender\.ics$", views.page_calendar, name="calendar")
]
