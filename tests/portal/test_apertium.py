"""Bokmål → nynorsk by machine: Apertium as wagtail-localize's machine translator
(portal/apertium.py), the localize editor's machine-translate action, and what the translation
status report says of machine output nobody has reviewed."""

import csv
import difflib
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.strings import StringValue

from nyheiter.models import NewsPage
from portal import apertium

PAIRS = {"nob-nno_e", "nno-nob"}
needs_apertium = pytest.mark.skipif(
    not PAIRS <= apertium.installed_modes("apertium"),
    reason="Apertium with nob-nno_e and nno-nob is not installed: apt-get install apertium "
    "apertium-nno-nob (make test does it when run as root)",
)
NOT_THERE = {
    "CLASS": "portal.apertium.ApertiumTranslator",
    "OPTIONS": {"COMMAND": "/nonexistent/apertium"},
}


@pytest.fixture
def translator(settings):
    return apertium.translator()


def word(term):
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.I)


def translate(translator, *fragments, source="nb", target="nn"):
    return translator.translate_html(source, target, list(fragments))


@needs_apertium
@pytest.mark.django_db
def test_plain_text_is_nynorsk(translator, nb, nn):
    value = StringValue.from_plaintext("Kurset for nye ledere i kommunene går over tre samlinger.")
    result = translator.translate(nb, nn, [value])
    assert result[value].render_text() == (
        "Kurset for nye leiarar i kommunane går over tre samlingar."
    )


@needs_apertium
@pytest.mark.django_db
def test_rich_text_keeps_its_markup_links_and_entities(translator, nb, nn):
    value, attrs = StringValue.from_source_html(
        '<b>Meld deg på</b> kurset <a href="https://example.no/kurs/">her</a> &amp; '
        "les mer om <i>veiledning</i> for ledere."
    )
    assert '<a id="a1">' in value.data
    result = translator.translate(nb, nn, [value])[value]
    assert result.data == (
        '<b>Meld deg på</b> kurset <a id="a1">her</a> &amp; les meir om <i>rettleiing</i> '
        "for leiarar."
    )
    assert result.render_html(attrs).startswith('<b>Meld deg på</b> kurset <a href="https://')


@needs_apertium
@pytest.mark.django_db
def test_nynorsk_to_bokmal_too(translator, nb, nn):
    value = StringValue.from_plaintext("Kurset for nye leiarar i kommunane.")
    assert translator.translate(nn, nb, [value])[value].data == (
        "Kurset for nye ledere i kommunene."
    )


UNCHANGED = [
    ("placeholder", "Hei %(navn)s, du har %s plasser og {antall} på venteliste.", "%(navn)s"),
    ("format placeholder", "Du har {antall} plasser igjen.", "{antall}"),
    (
        "url",
        "Les mer på https://www.vestlandfylke.no/kurs/ledere/?side=2&amp;q=leder.",
        "https://www.vestlandfylke.no/kurs/ledere/?side=2&amp;q=leder",
    ),
    (
        "email",
        "Send spørsmål til leder.kurs@vestlandfylke.no innen fredag.",
        "leder.kurs@vestlandfylke.no",
    ),
    ("number", "Det er 1 500 kroner og 24,5 timer for 30 deltakere.", "24,5"),
    ("date", "Fristen for deltakere er 12.03.2027 kl. 09:30.", "12.03.2027"),
    ("time", "Fristen for deltakere er 12.03.2027 kl. 09:30.", "09:30"),
    ("entity", "Kurs &amp; veiledning &ndash; for ledere.", "&ndash;"),
    ("digits in a word", "H5P-innholdet kan kopieres av ledere.", "H5P-innhaldet"),
]


@needs_apertium
@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "source", "piece"), UNCHANGED, ids=[u[0] for u in UNCHANGED])
def test_what_must_not_change_comes_through_unchanged(translator, kind, source, piece):
    (result,) = translate(translator, source)
    assert piece in result, result
    assert result != source  # the rest was translated


@needs_apertium
@pytest.mark.django_db
def test_placeholder_words_would_be_translated_without_protection(translator):
    """Negative control: the engine alone translates the words in placeholders."""
    (alone,) = apertium.Apertium("nob-nno_e").run(["Hei {navn}, du har %(antall)s plasser."])
    assert "{navn}" not in alone and "%(antall)s" not in alone
    (ours,) = translate(translator, "Hei {navn}, du har %(antall)s plasser.")
    assert "{navn}" in ours and "%(antall)s" in ours


@needs_apertium
@pytest.mark.django_db
def test_our_place_names_pass_unchanged(translator):
    source = "Kurset holdes i Stad og i Hardanger og Voss, for Sogndal kommune."
    (alone,) = apertium.Apertium("nob-nno_e").run([source])
    assert "i Stad" not in alone  # the engine reads "i stad" (just now) and moves it
    (ours,) = translate(translator, source)
    assert "i Stad" in ours and "Hardanger og Voss" in ours and "Sogndal kommune" in ours
    assert "halde" in ours


def glossary_forms():
    return apertium.glossary_terms()


@needs_apertium
@pytest.mark.django_db
def test_every_glossary_term_gives_the_glossarys_nynorsk(translator):
    """A sentence with each glossary form (and its inflections) comes back with the glossary's
    nynorsk, also where the engine alone says otherwise."""
    forms = glossary_forms()
    sentences = [f"I dag skriver vi om {source} her." for source, _target in forms]
    translated = translate(translator, *sentences)
    alone = apertium.Apertium("nob-nno_e").run(sentences)
    missed = [
        (source, target, result)
        for (source, target), result in zip(forms, translated, strict=True)
        if not word(target).search(result)
    ]
    assert missed == []
    engine_wrong = [
        source
        for (source, target), result in zip(forms, alone, strict=True)
        if not word(target).search(result)
    ]
    # The glossary wins where the engine alone does not ("én dør" is "ei dør", not "éi dør").
    assert "én dør" in engine_wrong


@needs_apertium
@pytest.mark.django_db
def test_glossary_keeps_case_and_leaves_other_words_alone(translator):
    (result,) = translate(translator, "Nærmeste leder må godkjenne. Hun leder kurset.")
    assert result.startswith("Næraste leiar må godkjenne.")
    assert "leiar kurset" not in result  # the verb is the engine's, not the noun


@needs_apertium
@pytest.mark.django_db
def test_a_page_is_one_apertium_process(translator, monkeypatch, nb, nn):
    translate(translator, "Veiledning")  # the glossary asks the engine once per process
    calls = []
    run = subprocess.run

    def counting(*args, **kwargs):
        calls.append(args[0])
        return run(*args, **kwargs)

    monkeypatch.setattr(apertium.subprocess, "run", counting)
    strings = [StringValue.from_plaintext(f"Kurs nummer {n} for ledere.") for n in range(100)]
    result = translator.translate(nb, nn, strings)
    assert len(calls) == 1
    assert [result[s].data for s in strings[:2]] == [
        "Kurs nummer 0 for leiarar.",
        "Kurs nummer 1 for leiarar.",
    ]


@needs_apertium
@pytest.mark.django_db
def test_a_string_whose_pieces_do_not_come_back_is_left_to_the_editor(translator, monkeypatch):
    def lose_tokens(self, blocks):
        return [re.sub(r"<x-apx[^>]*></x-apx>", "", block) for block in blocks]

    monkeypatch.setattr(apertium.Apertium, "run", lose_tokens)
    # The second string had nothing to lose (and the glossary still has its word).
    assert translate(translator, "Ring 55 56 00 00.", "Veiledning") == [None, "Rettleiing"]


# The localize editor.


def demo_translation(nn):
    source = NewsPage.objects.get(locale__language_code="nb", slug="lederkurs-var")
    twin = source.get_translation(nn)
    translation = Translation.objects.get(
        source__object_id=source.translation_key, target_locale=nn
    )
    return source, twin, translation


def forget_nynorsk(translation):
    """As if nobody had translated the page yet."""
    StringTranslation.objects.filter(
        context__object_id=translation.source.object_id, locale=translation.target_locale
    ).delete()


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return client


def editor_props(editor, twin):
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[twin.id]))
    assert response.status_code == 200
    return response.text


@needs_apertium
@pytest.mark.django_db
def test_editor_machine_translates_a_demo_page_and_publishes_it(editor, nn):
    source, twin, translation = demo_translation(nn)
    forget_nynorsk(translation)
    assert "machine_translate" in editor_props(editor, twin)

    url = reverse("wagtail_localize:machine_translate", args=[translation.id])
    response = editor.post(url, {"next": f"/admin/pages/{twin.id}/edit/"})
    assert response.status_code == 302

    segments = StringSegment.objects.filter(source=translation.source)
    made = StringTranslation.objects.filter(
        context__object_id=translation.source.object_id, locale=nn
    )
    assert made.count() == segments.count() > 0
    assert set(made.values_list("translation_type", "tool_name")) == {("machine", "Apertium")}
    by_path = {t.context.path: t.data for t in made.select_related("context")}
    assert by_path["title"].startswith("Påmeldinga til ") and "er open" in by_path["title"]
    assert by_path["intro"] == (
        "Kurset for nye leiarar i kommunane går over tre samlingar i Bergen og på nett."
    )

    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[twin.id]), {"action": "publish"}
    )
    assert response.status_code == 302
    twin = Page.objects.get(id=twin.id).specific
    assert twin.live and twin.title == by_path["title"]
    page = editor.get(twin.url)
    assert page.status_code == 200
    assert "Kurset passar for leiarar med under to års erfaring." in page.text


@needs_apertium
@pytest.mark.django_db
def test_nothing_left_to_translate_changes_nothing(editor, nn):
    _source, twin, translation = demo_translation(nn)
    before = list(
        StringTranslation.objects.filter(locale=nn, context__object_id=translation.source.object_id)
        .order_by("pk")
        .values_list("pk", "data", "translation_type")
    )
    url = reverse("wagtail_localize:machine_translate", args=[translation.id])
    assert editor.post(url).status_code == 302
    after = list(
        StringTranslation.objects.filter(locale=nn, context__object_id=translation.source.object_id)
        .order_by("pk")
        .values_list("pk", "data", "translation_type")
    )
    assert after == before and "machine" not in {kind for _pk, _data, kind in after}


@pytest.mark.django_db
def test_without_apertium_the_editor_offers_no_machine_translation(editor, nn, settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = NOT_THERE
    _source, twin, translation = demo_translation(nn)
    forget_nynorsk(translation)
    assert "machine_translate" not in editor_props(editor, twin)
    url = reverse("wagtail_localize:machine_translate", args=[translation.id])
    assert editor.post(url, follow=True).status_code == 404


def test_without_apertium_check_says_how_to_install_it(settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = NOT_THERE
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    text = out.getvalue()
    assert "portal.W101" in text and "apt-get install apertium apertium-nno-nob" in text


@needs_apertium
def test_with_apertium_check_is_quiet():
    assert apertium.check_apertium(None) == []


# The translation status report.


REPORT = "/admin/reports/translations/"


def report_rows(editor, **params):
    response = editor.get(REPORT, {"export": "csv", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    column = [name for name in reader.fieldnames if "maskin" in name.lower()]
    assert column, reader.fieldnames
    return {row["Bokmålsside"]: row[column[0]] for row in reader}


@needs_apertium
@pytest.mark.django_db
def test_report_counts_machine_output_until_an_editor_saves_it(editor, nn):
    source, twin, translation = demo_translation(nn)
    assert report_rows(editor)[source.title] == "0"
    forget_nynorsk(translation)
    editor.post(reverse("wagtail_localize:machine_translate", args=[translation.id]))
    count = StringSegment.objects.filter(source=translation.source).count()
    assert report_rows(editor)[source.title] == str(count)
    assert list(report_rows(editor, machine="true")) == [source.title]
    assert source.title not in report_rows(editor, machine="false")

    segment = StringSegment.objects.get(source=translation.source, context__path="title")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.id, segment.id])
    response = editor.put(
        url,
        "value=P%C3%A5meldinga+til+leiarkurset+i+v%C3%A5r+er+open",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert report_rows(editor)[source.title] == str(count - 1)
    page = editor.get(REPORT, {"machine": "true"})
    assert page.status_code == 200 and source.title in page.text


# make translate-messages, on a copy of the catalogues.


@needs_apertium
@pytest.mark.django_db
def test_translate_messages_prefills_untranslated_nynorsk_as_fuzzy(tmp_path, settings):
    locale = tmp_path / "locale"
    for language in ("nb", "nn"):
        (locale / language / "LC_MESSAGES").mkdir(parents=True)
    nb_text = (settings.BASE_DIR / "locale/nb/LC_MESSAGES/django.po").read_text()
    nn_text = (settings.BASE_DIR / "locale/nn/LC_MESSAGES/django.po").read_text()
    plural = (
        '\n#: x.py\n#, python-format\nmsgid "One seat left for %(name)s"\n'
        'msgid_plural "%(count)s seats left for %(name)s"\n'
    )
    nb_text += plural + (
        'msgstr[0] "Én ledig plass for deltakeren %(name)s"\n'
        'msgstr[1] "%(count)s ledige plasser for deltakerne %(name)s"\n'
    )
    translated = 'msgid "Nynorsk published"\nmsgstr "Nynorsk publisert"\n'
    assert translated in nn_text
    nn_text = nn_text.replace(translated, 'msgid "Nynorsk published"\nmsgstr ""\n')
    nn_text += plural + 'msgstr[0] ""\nmsgstr[1] ""\n'
    (locale / "nb/LC_MESSAGES/django.po").write_text(nb_text)
    nn_path = locale / "nn/LC_MESSAGES/django.po"
    nn_path.write_text(nn_text)

    out = io.StringIO()
    call_command("translate_messages", locale_dir=locale, stdout=out)
    assert "2 entries" in out.getvalue()

    after = nn_path.read_text()
    assert '#, fuzzy\nmsgid "Nynorsk published"\nmsgstr "Nynorsk publisert"\n' in after
    assert (
        '#, fuzzy, python-format\nmsgid "One seat left for %(name)s"\n'
        'msgid_plural "%(count)s seats left for %(name)s"\n'
        'msgstr[0] "Éin ledig plass for deltakaren %(name)s"\n'
        'msgstr[1] "%(count)s ledige plassar for deltakarane %(name)s"\n'
    ) in after
    # Nothing else moved: only the two entries' lines differ.
    changed = [
        line for line in difflib.ndiff(nn_text.splitlines(), after.splitlines()) if line[:1] in "+-"
    ]
    assert len(changed) == 9, changed
    call_command("translate_messages", locale_dir=locale, stdout=io.StringIO())
    assert nn_path.read_text() == after  # fuzzy entries wait for a person
