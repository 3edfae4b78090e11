"""Every page type renders in both standards with no content beyond what it requires: its
optional fields empty, its inline rows and many-to-many choices removed, and (below the home
page) no child pages. What a new editor's first draft looks like must never be an error page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.html import escape
from modelcluster.fields import ParentalKey
from wagtail.models import Page, get_page_models

pytestmark = pytest.mark.django_db


def page_types():
    return [model for model in get_page_models() if model is not Page]


# The fields Wagtail's Page itself has: the title, slug and publishing state stay as they are.
PAGE_FIELDS = {field.name for field in Page._meta.get_fields()}


def remove(objects):
    """Delete objects, and first whatever protects them (a session's enrolments)."""
    for instance in objects:
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as error:
            remove(
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            instance.delete()


def emptied(page):
    """page with every optional field of its own type empty and its inline rows removed."""
    for field in type(page)._meta.get_fields():
        if field.name in PAGE_FIELDS:
            continue
        if field.one_to_many and isinstance(field.remote_field, ParentalKey):
            remove(getattr(page, field.get_accessor_name()).all())
            setattr(page, field.get_accessor_name(), [])
        elif field.many_to_many and not field.auto_created:
            setattr(page, field.name, [])
        elif field.concrete and field.blank and not field.primary_key:
            if field.null:
                setattr(page, field.attname, None)
            elif isinstance(field, models.BooleanField):
                continue
            else:
                setattr(page, field.attname, [] if field.get_internal_type() == "JSONField" else "")
    return page


def empty_both_standards(model, nb, nn):
    source = model.objects.filter(locale=nb).live().order_by("path").first()
    for page in (source, source.get_translation(nn)):
        page = page.specific
        if model.__name__ != "HomePage":  # below it lies the rest of the site
            remove(page.get_children())
        original = type(page).objects.get(pk=page.pk)
        emptied(page)
        try:
            page.full_clean()
        except ValidationError as error:  # a rule across fields: "one of the two"
            for name in error.message_dict:
                setattr(page, name, getattr(original, name))
        page.save_revision().publish()
    return source.get_translation(nn)


@pytest.mark.parametrize("model", page_types(), ids=lambda model: model.__name__)
def test_every_page_type_renders_empty_in_nb_and_nn(client, nb, nn, model):
    twin = empty_both_standards(model, nb, nn)
    source = twin.get_translation(nb)
    for page in (source, twin):
        response = client.get(page.url)
        assert response.status_code == 200, (page.url, response.status_code)
        assert f'lang="{page.locale.language_code}"' in response.text
        assert escape(page.title) in response.text
