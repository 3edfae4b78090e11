from django.urls import path

from . import views

urlpatterns = [path("sok/", views.site_search, name="site_search")]
