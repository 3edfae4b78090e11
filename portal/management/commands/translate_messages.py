"""Pre-fill untranslated nynorsk interface strings from the bokmål ones (`make translate-messages`).

Every entry of locale/nn that has no translation, and whose msgid locale/nb translates, gets the
bokmål translation through the machine translator (portal.apertium, one Apertium call for all)
and is marked fuzzy, so a person reads it before it ships: msgfmt leaves fuzzy entries out, and
the tests refuse them. Only the entries it fills are rewritten; every other line of the file
stays exactly as it was (no rewrapping).
"""

import html
import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import apertium

# Entries are separated by blank lines (what gettext's tools write).
BLANK_LINES = re.compile(r"(\n[ \t]*\n)")


def untranslated(entry):
    if entry.obsolete or not entry.msgid or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return not any(entry.msgstr_plural.values())
    return not entry.msgstr


def fill(nb_path, nn_path, translate):
    """Fill nn_path from nb_path with `translate(list of bokmål texts) -> nynorsk or None`;
    returns the msgids filled."""
    nb = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(nb_path))}
    text = Path(nn_path).read_text(encoding="utf-8")
    parts = BLANK_LINES.split(text)
    work = []  # (index of the part, entry, [(key, bokmål text)])
    for index, part in enumerate(parts):
        if index % 2 or "msgid" not in part:
            continue
        entries = list(polib.pofile(part))
        if len(entries) != 1 or not untranslated(entries[0]):
            continue
        entry = entries[0]
        source = nb.get((entry.msgctxt, entry.msgid))
        if source is None:
            continue
        if entry.msgid_plural:
            texts = [(n, text) for n, text in sorted(source.msgstr_plural.items()) if text]
        else:
            texts = [(None, source.msgstr)] if source.msgstr else []
        if texts:
            work.append((index, entry, texts))

    sources = [text for _index, _entry, texts in work for _key, text in texts]
    # Interface strings are plain text: the translator reads HTML fragments.
    results = iter(translate([html.escape(text, quote=False) for text in sources]))
    filled = []
    for index, entry, texts in work:
        translated = [(key, next(results)) for key, _text in texts]
        if any(result is None for _key, result in translated):
            continue
        for key, result in translated:
            if key is None:
                entry.msgstr = html.unescape(result)
            else:
                entry.msgstr_plural[key] = html.unescape(result)
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        part = parts[index]
        parts[index] = entry.__unicode__(wrapwidth=79).rstrip("\n") + part[len(part.rstrip()) :]
        filled.append(entry.msgid)
    if filled:
        Path(nn_path).write_text("".join(parts), encoding="utf-8")
    return filled


class Command(BaseCommand):
    help = "Pre-fill untranslated locale/nn entries from locale/nb through Apertium, as fuzzy."

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale-dir", default=str(Path(settings.BASE_DIR) / "locale"), type=Path
        )

    def handle(self, *args, **options):
        translator = apertium.ApertiumTranslator(apertium.options())
        engine = translator.engine("nb", "nn")
        if engine is None or not engine.available():
            raise CommandError(apertium.INSTALL_HINT)
        locale_dir = options["locale_dir"]
        nn_path = locale_dir / "nn" / "LC_MESSAGES" / "django.po"
        filled = fill(
            locale_dir / "nb" / "LC_MESSAGES" / "django.po",
            nn_path,
            lambda texts: translator.translate_html("nb", "nn", texts),
        )
        for msgid in filled:
            self.stdout.write(f"  fuzzy: {msgid}")
        self.stdout.write(
            f"{len(filled)} entries of {nn_path} pre-filled by Apertium and marked fuzzy: "
            "review them (remove the fuzzy flag), then `make messages`."
        )
