"""The one URL outside the page tree: RFC 8058's one-click unsubscribe, which mail clients POST
to without a CSRF token (a page route cannot be exempt: Wagtail's serve view checks it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("avmeld/<str:token>/", views.one_click_unsubscribe, name="newsletter_one_click"),
]
