from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents.views import serve as documents

from portal import views
from portal.health import HealthView
from portal.sitemaps import TwinSitemap

# Wagtail's document URLs (wagtail/documents/urls.py), but with an id of at most 19 digits: its
# `\d+` hands any number of them to int(), which refuses more than 4300 (a 500, not a 404).
document_urls = [
    re_path(r"^(\d{1,19})/(.*)$", documents.serve, name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        documents.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]

urlpatterns = [
    path("", views.root_redirect, name="root"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("health/", HealthView.as_view(), name="health"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TwinSitemap}}, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(document_urls)),
    path("api/katalog/", include("katalog.courses.urls")),
    path("nyhendebrev/", include("nyheiter.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    # Wagtail's own path, matched first: a protected page's password form under the lockout.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include("katalog.courses.calendar_urls")),
    path("", include("sitesearch.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
