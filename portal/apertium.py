"""Bokmål ↔ nynorsk by machine: Apertium as wagtail-localize's machine translator.

Apertium (Debian's `apertium` and `apertium-nno-nob`) runs on our own server, so no content
leaves it. A page is one call: every string goes to one `apertium -f html` process, each in a
block of its own, so the engine never joins two strings into one sentence. Before the engine,
what must come through unchanged (proper names of our places, URLs, email addresses, numbers
and dates, placeholders, entity references) is swapped for empty tags, which Apertium's HTML
format passes as superblanks; after it, the glossary (`glossary.toml`) puts our words back where
the engine chose others, and the tags are swapped back. A string whose tags or links do not come
back whole is left out, for the editor to translate by hand.

Apps name their proper names with `register_proper_names` in their AppConfig.ready (portal
imports no app), as `katalog.places` does for municipalities and regions.
"""

import html
import re
import shutil
import subprocess
import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

DEFAULT_PAIRS = {"nb:nn": "nob-nno_e", "nn:nb": "nno-nob"}
DEFAULT_TIMEOUT = 60  # seconds for one call, a whole page
GLOSSARY = Path(__file__).with_name("glossary.toml")
INSTALL_HINT = (
    "Install Debian's Apertium: apt-get install apertium apertium-nno-nob "
    "(make run and make test do it when run as root)."
)

PROPER_NAME_SOURCES = []


def register_proper_names(source):
    """`source()` returns names that pass through the translator unchanged (read per call)."""
    PROPER_NAME_SOURCES.append(source)
    return source


def proper_names():
    names = set()
    for source in PROPER_NAME_SOURCES:
        try:
            names.update(name.strip() for name in source() if name)
        except DatabaseError:  # an unmigrated database (make translate-messages before run)
            continue
    return sorted((name for name in names if name), key=len, reverse=True)


def options():
    config = getattr(settings, "WAGTAILLOCALIZE_MACHINE_TRANSLATOR", None) or {}
    return config.get("OPTIONS", {})


def language(code):
    return code.split("-")[0].lower()


# What the engine must not touch. Placeholders: Python's %(name)s and %s, str.format's {name};
# a date or time is one piece (12.03.2027, 09:30); digits inside a word (H5P) stay the word's.
_TOKEN = '<x-apx n="{}"></x-apx>'
_TOKEN_RE = re.compile(r'<x-apx n="(\d+)"></x-apx>')
# Each string in a block element of its own: a sentence ends with it.
_BLOCK = '<div id="apx-{}">{}</div>\n'
_BLOCK_START = re.compile(r'<div id="apx-(\d+)">')
_BLOCK_END = "</div>"
_PROTECTED = re.compile(
    r"""
      <[^>]*>                                   # a tag (passed whole, not as a token)
    | (?P<keep>
        &(?:[a-zA-Z]+|\#\d+|\#x[0-9a-fA-F]+);   # entity references
      | (?:https?://|www\.)[^\s<>"']*[^\s<>"'.,;:!?)\]]   # URLs, without trailing punctuation
      | [\w.+-]+@[\w-]+(?:\.[\w-]+)+            # email addresses
      | %\(\w+\)[sdifr] | %[sdifr]              # printf-style placeholders
      | \{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}   # str.format placeholders
      | (?<!\w)\d+(?:[.:/,\-]\d+)*(?!\w)         # numbers, dates, times
      )
    """,
    re.X,
)
_LINKS = re.compile(r"<a\b[^>]*>")


class Protected:
    """A string with its untouchable pieces swapped for tokens, and the way back."""

    def __init__(self, data, names_re):
        self.kept = []

        def keep(text):
            self.kept.append(text)
            return _TOKEN.format(len(self.kept) - 1)

        def outside_tags(text, pattern, replace):
            # Apply `pattern` to the text between tags only, never inside one.
            parts = re.split(r"(<[^>]*>)", text)
            return "".join(
                part if part.startswith("<") else pattern.sub(replace, part) for part in parts
            )

        text = _PROTECTED.sub(
            lambda match: keep(match.group("keep")) if match.group("keep") else match.group(0),
            data,
        )
        if names_re is not None:
            text = outside_tags(text, names_re, lambda match: keep(match.group(0)))
        self.text = text

    def restore(self, translated):
        seen = [int(number) for number in _TOKEN_RE.findall(translated)]
        if sorted(seen) != list(range(len(self.kept))):
            return None
        return _TOKEN_RE.sub(lambda match: self.kept[int(match.group(1))], translated)


def _names_pattern(names):
    if not names:
        return None
    alternatives = "|".join(re.escape(html.escape(name, quote=False)) for name in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _match_case(found, replacement):
    if len(found) > 1 and found.isupper():
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _word(term):
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.I)


@cache
def glossary_terms():
    """[(nb form, nn form)], longest first, from glossary.toml."""
    data = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    pairs = []
    for entry in data["terms"]:
        if len(entry["nb"]) != len(entry["nn"]):
            raise ValueError(f"glossary.toml: {entry['nb']} and {entry['nn']} differ in length")
        pairs.extend(zip(entry["nb"], entry["nn"], strict=True))
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


class Glossary:
    """Our words over the engine's: where the source holds a glossary term, the engine's
    rendering of it (or the term left untranslated) becomes the glossary's nn term."""

    def __init__(self, terms, engine_forms):
        self.rules = []
        for (source, target), engine in zip(terms, engine_forms, strict=True):
            wrong = [form for form in {engine, source} if form and form.lower() != target.lower()]
            if wrong:
                self.rules.append((_word(source), [_word(form) for form in wrong], target))

    def apply(self, source, translated):
        for found_in_source, wrong_forms, target in self.rules:
            if found_in_source.search(source):
                for wrong in wrong_forms:
                    translated = wrong.sub(
                        lambda match, target=target: _match_case(match.group(0), target),
                        translated,
                    )
        return translated


# Ours (glossary.toml), with the engine's own rendering of each term: {mode: Glossary}.
OURS = object()
_glossaries = {}


class Apertium:
    """One language pair of the engine (`mode`, e.g. nob-nno_e)."""

    def __init__(self, mode, command="apertium", timeout=DEFAULT_TIMEOUT):
        self.mode, self.command, self.timeout = mode, command, timeout

    def available(self):
        return self.mode in installed_modes(self.command)

    def run(self, html_blocks):
        """Translate HTML fragments in one process; returns the translated fragments."""
        if not html_blocks:
            return []
        source = "".join(_BLOCK.format(index, block) for index, block in enumerate(html_blocks))
        result = subprocess.run(
            [shutil.which(self.command) or self.command, "-u", "-f", "html", self.mode],
            input=source,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=True,
        )
        parts = _BLOCK_START.split(result.stdout)
        found = {}
        for index, text in zip(parts[1::2], parts[2::2], strict=True):
            text = text.rstrip()
            if text.endswith(_BLOCK_END):
                found[int(index)] = text.removesuffix(_BLOCK_END)
        return [found.get(index) for index in range(len(html_blocks))]

    def translate(self, strings, glossary=None):
        """Translate HTML fragments (wagtail-localize's StringValue data); None for a string
        that did not come back whole. glossary: a Glossary, or OURS for ours, whose
        terms the engine renders once per process, in the same run as the first page."""
        names_re = _names_pattern([*proper_names()])
        protected = [Protected(data, names_re) for data in strings]
        # Spaces around a string (a segment may be part of a sentence) are kept as they are.
        edges = [re.fullmatch(r"(\s*)(.*?)(\s*)", item.text, re.S).groups() for item in protected]
        terms = (
            glossary_terms()
            if glossary is OURS and (self.mode, self.command) not in _glossaries
            else []
        )
        outputs = self.run(
            [core for _left, core, _right in edges]
            + [html.escape(source, quote=False) for source, _target in terms]
        )
        if terms:
            forms = outputs[len(edges) :]
            _glossaries[self.mode, self.command] = Glossary(
                terms, [html.unescape(f or "") for f in forms]
            )
            outputs = outputs[: len(edges)]
        if glossary is OURS:
            glossary = _glossaries[self.mode, self.command]
        results = []
        for data, item, (left, _core, right), output in zip(
            strings, protected, edges, outputs, strict=True
        ):
            if output is None:
                results.append(None)
                continue
            output = left + output.strip() + right
            if glossary is not None:
                output = glossary.apply(data, output)
            restored = item.restore(output)
            if restored is not None and sorted(_LINKS.findall(restored)) != sorted(
                _LINKS.findall(data)
            ):
                restored = None
            results.append(restored)
        return results


@cache
def installed_modes(command):
    """The language pairs the engine has (empty when Apertium is not installed)."""
    path = shutil.which(command)
    if path is None:
        return frozenset()
    try:
        listed = subprocess.run([path, "-l"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(listed.stdout.split())


class ApertiumTranslator(BaseMachineTranslator):
    """WAGTAILLOCALIZE_MACHINE_TRANSLATOR's class. OPTIONS: PAIRS ({"nb:nn": "nob-nno_e",
    "nn:nb": "nno-nob"}: source and target language to Apertium mode), COMMAND ("apertium"),
    TIMEOUT (seconds for a page), GLOSSARY_TARGET ("nn": the language the glossary is for)."""

    display_name = "Apertium"

    def engine(self, source_code, target_code):
        pairs = {**DEFAULT_PAIRS, **self.options.get("PAIRS", {})}
        mode = pairs.get(f"{language(source_code)}:{language(target_code)}")
        if mode is None:
            return None
        return Apertium(
            mode,
            self.options.get("COMMAND", "apertium"),
            self.options.get("TIMEOUT", DEFAULT_TIMEOUT),
        )

    def can_translate(self, source_locale, target_locale):
        engine = self.engine(source_locale.language_code, target_locale.language_code)
        return engine is not None and engine.available()

    def glossary(self, engine, target_code):
        if language(target_code) != self.options.get("GLOSSARY_TARGET", "nn"):
            return None
        return OURS

    def translate_html(self, source_code, target_code, fragments):
        """Translate HTML fragments; a list with None where one did not come back whole."""
        engine = self.engine(source_code, target_code)
        return engine.translate(list(fragments), self.glossary(engine, target_code))

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        translated = self.translate_html(
            source_locale.language_code,
            target_locale.language_code,
            [string.data for string in strings],
        )
        return {
            string: StringValue(data)
            for string, data in zip(strings, translated, strict=True)
            if data is not None
        }


def translator():
    """The configured translator, when it is ours."""
    config = getattr(settings, "WAGTAILLOCALIZE_MACHINE_TRANSLATOR", None) or {}
    if config.get("CLASS") != f"{__name__}.ApertiumTranslator":
        return None
    return ApertiumTranslator(config.get("OPTIONS", {}))


@checks.register()
def check_apertium(app_configs, **kwargs):
    """Without Apertium the portal runs and the editor offers no machine translation: say how
    to get it."""
    translator_ = translator()
    if translator_ is None:
        return []
    missing = []
    for pair in {**DEFAULT_PAIRS, **translator_.options.get("PAIRS", {})}.values():
        engine = Apertium(pair, translator_.options.get("COMMAND", "apertium"))
        if not engine.available():
            missing.append(pair)
    if not missing:
        return []
    return [
        checks.Warning(
            f"Apertium cannot translate {', '.join(sorted(missing))}: the localize editor "
            "offers no machine translation.",
            hint=INSTALL_HINT,
            id="portal.W101",
        )
    ]
