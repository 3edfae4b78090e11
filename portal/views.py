from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation.trans_real import parse_accept_lang_header

# Browsers name nynorsk "nn", "nn-NO" or "no-nn", and bokmål "nb", "nb-NO", "no" or "no-NO".
NYNORSK_TAGS = {"nn", "nn-no", "no-nn"}
BOKMAL_TAGS = {"nb", "nb-no", "no", "no-no", "no-nb"}


def preferred_language(accept_language):
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        tag = tag.lower()
        if tag in NYNORSK_TAGS:
            return "nn"
        if tag in BOKMAL_TAGS:
            return "nb"
    return settings.LANGUAGE_CODE


def root_redirect(request):
    language = preferred_language(request.headers.get("Accept-Language"))
    response = redirect(f"/{language}/")
    response.headers["Vary"] = "Accept-Language"
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
