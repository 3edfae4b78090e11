"""A GIN index for what Wagtail's PostgreSQL search backend matches: `title || body`.

Wagtail indexes the title and the body apart, but a search over all fields matches their
concatenation, which neither index serves, so every search read the whole index table
(wagtail/wagtail#6546). SQLite's FTS5 table needs nothing.
"""

from django.db import migrations

INDEX = "portal_search_title_body"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
