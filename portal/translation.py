"""Publish a page's translation through wagtail-localize from translated field values.

The strings land in wagtail-localize's translation memory, so editors continue the translation in
its editor as if a translator had typed them.
"""

import copy

from django.db import transaction
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments


def _strings(instance):
    return [s for s in extract_segments(instance) if isinstance(s, StringSegmentValue)]


def translated_example(page, values):
    """A copy of page with the translated values.

    StreamField blocks keep the source's ids, and struct blocks the source's untranslated members
    (page links, levels), so that both copies yield the same segments.
    """
    example = copy.copy(page)
    for field, value in values.items():
        source_value = getattr(page, field)
        if hasattr(source_value, "raw_data"):
            value = [
                {
                    "type": block["type"],
                    "id": block["id"],
                    "value": {**block["value"], **translated}
                    if isinstance(translated, dict)
                    else translated,
                }
                for block, translated in zip(source_value.raw_data, value, strict=True)
            ]
        setattr(example, field, value)
    return example


@transaction.atomic
def publish_translation(page, locale, values):
    """Translate page into locale with values (field name -> translated value) and publish it.

    StreamField values are lists of block values in the same order as the source's blocks.
    """
    source, _created = TranslationSource.update_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    translated = _strings(translated_example(page, values))
    if len(translated) != segments.count():
        raise ValueError(f"{page}: {len(translated)} translated strings for {segments.count()}")
    for segment, value in zip(segments.order_by("order"), translated, strict=True):
        if segment.context.path != value.path:
            raise ValueError(f"{page}: {value.path} translated where {segment.context.path} is")
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": value.string.data},
        )
    translation.save_target(publish=True)
    return page.get_translation(locale)
