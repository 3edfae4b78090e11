from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [path("sessions/", views.sessions_feed, name="sessions_feed")]
