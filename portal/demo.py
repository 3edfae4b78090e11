"""Demo content for a real region (Vestland): the site tree in bokmål, translated into nynorsk.

Every step looks before it writes, so running it again changes nothing that is already there.
"""

from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from katalog.courses.demo import count_course_steps, create_courses, translate_courses
from katalog.courses.models import CourseIndexPage
from katalog.guidance.demo import guidance_steps, seed_guidance, translate_guidance
from katalog.guidance.models import GuidanceIndexPage
from katalog.places.demo import seed_places
from nyheiter.demo import NEWS
from nyheiter.models import NewsIndexPage, NewsPage

from .models import HomePage, SiteSettings, StandardPage
from .translation import publish_translation


@dataclass
class PageSpec:
    """A page in both written standards: `nb` holds its fields, `nn` their translations.

    StreamField values are lists of (block type, value) in `nb` and of values only in `nn`.
    Link cards name their target by key; they are resolved once every page exists.
    """

    key: str
    model: type
    nb: dict
    nn: dict
    children: list = field(default_factory=list)
    in_menu: bool = False


def p(text):
    return f"<p>{text}</p>"


TREE = PageSpec(
    "home",
    HomePage,
    nb={
        "title": "Kompetanseportalen",
        "slug": "kompetanseportalen",
        "intro": "Én dør til karriereveiledning, studieveiledning og regionale kurs for "
        "innbyggere og ansatte i kommunene i Vestland.",
        "entry_points": [
            (
                "link_card",
                {
                    "page": "guidance",
                    "title": "Finn karriere- og studieveiledning",
                    "text": "For deg som vil velge utdanning, bytte jobb eller få vurdert "
                    "realkompetansen din. Gratis, for alle over 19 år.",
                },
            ),
            (
                "link_card",
                {
                    "page": "courses",
                    "title": "Finn et kurs",
                    "text": "Regionale kurs for ansatte i kommunene: fysisk oppmøte, "
                    "webinar og e-læring, med ledige plasser og påmelding.",
                },
            ),
        ],
        "more_links": [
            (
                "link_card",
                {
                    "page": "handbook",
                    "title": "",
                    "text": "Metoder og verktøy for veiledere og kursholdere i nettverket.",
                },
            ),
            (
                "link_card",
                {
                    "page": "resources",
                    "title": "",
                    "text": "E-læringskurs som kommunene kan bruke om igjen, med lisens og eier.",
                },
            ),
        ],
    },
    nn={
        "title": "Kompetanseportalen",
        "slug": "kompetanseportalen",
        "intro": "Ei dør til karriererettleiing, studierettleiing og regionale kurs for "
        "innbyggjarar og tilsette i kommunane i Vestland.",
        "entry_points": [
            {
                "title": "Finn karriere- og studierettleiing",
                "text": "For deg som vil velje utdanning, byte jobb eller få vurdert "
                "realkompetansen din. Gratis, for alle over 19 år.",
            },
            {
                "title": "Finn eit kurs",
                "text": "Regionale kurs for tilsette i kommunane: fysisk oppmøte, "
                "webinar og e-læring, med ledige plassar og påmelding.",
            },
        ],
        "more_links": [
            {
                "title": "",
                "text": "Metodar og verktøy for rettleiarar og kurshaldarar i nettverket.",
            },
            {
                "title": "",
                "text": "E-læringskurs som kommunane kan bruke om att, med lisens og eigar.",
            },
        ],
    },
    children=[
        PageSpec(
            "guidance",
            GuidanceIndexPage,
            in_menu=True,
            nb={
                "title": "Karriere- og studieveiledning",
                "slug": "veiledning",
                "intro": "Karrieresentrene, studiesentrene og OPUS i Vestland hjelper deg "
                "med valg av utdanning og yrke. Veiledningen er gratis.",
                "body": [
                    ("heading", {"text": "Hva er karriereveiledning?", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "I en veiledningssamtale får du hjelp til å se hva du "
                            "kan, hva du vil og hvilke muligheter du har i "
                            "arbeidslivet."
                        ),
                    ),
                    ("heading", {"text": "Hva er studieveiledning?", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "Studiesentrene hjelper deg å finne desentralisert "
                            "utdanning der du bor, og å søke opptak."
                        ),
                    ),
                ],
            },
            nn={
                "title": "Karriere- og studierettleiing",
                "slug": "rettleiing",
                "intro": "Karrieresentera, studiesentera og OPUS i Vestland hjelper deg med "
                "val av utdanning og yrke. Rettleiinga er gratis.",
                "body": [
                    {"text": "Kva er karriererettleiing?", "level": "h2"},
                    p(
                        "I ein rettleiingssamtale får du hjelp til å sjå kva du kan, kva du "
                        "vil og kva moglegheiter du har i arbeidslivet."
                    ),
                    {"text": "Kva er studierettleiing?", "level": "h2"},
                    p(
                        "Studiesentera hjelper deg å finne desentralisert utdanning der du "
                        "bur, og å søkje opptak."
                    ),
                ],
            },
        ),
        PageSpec(
            "courses",
            CourseIndexPage,
            in_menu=True,
            nb={
                "title": "Kurskatalog",
                "slug": "kurs",
                "intro": "Regionale kurs for ansatte i kommunene og fylkeskommunen.",
                "body": [
                    (
                        "paragraph",
                        p(
                            "Kursene er åpne for ansatte i alle kommunene i "
                            "nettverket. Prisen er egenandelen til selvkost."
                        ),
                    )
                ],
            },
            nn={
                "title": "Kurskatalog",
                "slug": "kurs",
                "intro": "Regionale kurs for tilsette i kommunane og fylkeskommunen.",
                "body": [
                    p(
                        "Kursa er opne for tilsette i alle kommunane i nettverket. "
                        "Prisen er eigendelen til sjølvkost."
                    )
                ],
            },
        ),
        PageSpec(
            "news",
            NewsIndexPage,
            in_menu=True,
            nb={
                "title": "Nyheter",
                "slug": "nyheter",
                "intro": "Nytt fra kompetansenettverket i Vestland.",
            },
            nn={
                "title": "Nyheiter",
                "slug": "nyheiter",
                "intro": "Nytt frå kompetansenettverket i Vestland.",
            },
            children=[
                PageSpec(f"news-{i}", NewsPage, nb=article["nb"], nn=article["nn"])
                for i, article in enumerate(NEWS)
            ],
        ),
        PageSpec(
            "handbook",
            StandardPage,
            in_menu=True,
            nb={
                "title": "Metodehåndbok",
                "slug": "handbok",
                "intro": "Nettverkets håndbok i veiledningsmetoder og kursutvikling.",
                "body": [
                    (
                        "paragraph",
                        p(
                            "Håndboken bygges opp kapittel for kapittel. "
                            "Første kapitler kommer her i løpet av våren."
                        ),
                    )
                ],
            },
            nn={
                "title": "Metodehandbok",
                "slug": "handbok",
                "intro": "Handboka til nettverket om rettleiingsmetodar og kursutvikling.",
                "body": [
                    p(
                        "Handboka blir bygd opp kapittel for kapittel. Dei første "
                        "kapitla kjem her i løpet av våren."
                    )
                ],
            },
        ),
        PageSpec(
            "resources",
            StandardPage,
            in_menu=True,
            nb={
                "title": "E-læringsressurser",
                "slug": "e-laeringsressurser",
                "intro": "Delte e-læringskurs som kommunene kan bruke om igjen.",
                "body": [
                    (
                        "paragraph",
                        p(
                            "Hver ressurs oppgir lisens og eier, så du vet "
                            "hvordan den kan brukes i din kommune."
                        ),
                    )
                ],
            },
            nn={
                "title": "E-læringsressursar",
                "slug": "e-laeringsressursar",
                "intro": "Delte e-læringskurs som kommunane kan bruke om att.",
                "body": [
                    p(
                        "Kvar ressurs oppgir lisens og eigar, så du veit korleis han kan "
                        "brukast i kommunen din."
                    )
                ],
            },
        ),
        PageSpec(
            "accessibility",
            StandardPage,
            nb={
                "title": "Tilgjengelighetserklæring",
                "slug": "tilgjengelighet",
                "intro": "Kompetanseportalen skal kunne brukes av alle.",
                "body": [
                    (
                        "paragraph",
                        p(
                            "Nettstedet følger WCAG 2.1 nivå AA. Finner du "
                            "noe som ikke virker, vil vi gjerne høre fra deg."
                        ),
                    )
                ],
            },
            nn={
                "title": "Tilgjengelegheitserklæring",
                "slug": "tilgjengelegheit",
                "intro": "Kompetanseportalen skal kunne brukast av alle.",
                "body": [
                    p(
                        "Nettstaden følgjer WCAG 2.1 nivå AA. Finn du noko som ikkje "
                        "verkar, vil vi gjerne høyre frå deg."
                    )
                ],
            },
        ),
        PageSpec(
            "privacy",
            StandardPage,
            nb={
                "title": "Personvern",
                "slug": "personvern",
                "intro": "Slik behandler vi personopplysningene dine.",
                "body": [
                    (
                        "paragraph",
                        p(
                            "Vi lagrer bare det vi trenger for å gi deg "
                            "veiledning eller en kursplass, og sletter det når "
                            "formålet er oppfylt."
                        ),
                    )
                ],
            },
            nn={
                "title": "Personvern",
                "slug": "personvern",
                "intro": "Slik behandlar vi personopplysingane dine.",
                "body": [
                    p(
                        "Vi lagrar berre det vi treng for å gi deg rettleiing eller ein "
                        "kursplass, og slettar det når formålet er oppfylt."
                    )
                ],
            },
        ),
    ],
)

CONTACT = {
    "organisation": "Kompetansenettverket i Vestland, Vestland fylkeskommune",
    "address": "Agnes Mowinckels gate 5\n5008 Bergen",
    "phone": "55 63 90 00",
    "email": "kompetanse@example.no",
}


def walk(spec):
    yield spec
    for child in spec.children:
        yield from walk(child)


def count_steps():
    # Places, one step a page to create, one a page to translate, and the site settings.
    total = 1 + 2 * sum(1 for _spec in walk(TREE)) + 1
    return total + guidance_steps() + count_course_steps()


def _resolve_links(stream, pages):
    return [(kind, {**value, "page": pages[value["page"]]}) for kind, value in stream]


def _page_fields(spec, pages):
    fields = dict(spec.nb)
    for name, value in fields.items():
        if isinstance(value, list) and value and value[0][0] == "link_card":
            fields[name] = _resolve_links(value, pages)
    return fields


def _default_site(locale):
    """The default site, made anew (with the tree root) when a flushed database has none."""
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        return site
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
    return Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)


def _home(site, locale):
    if isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePage.objects.filter(locale=locale, depth=2).first()
    if home is None:
        home = HomePage(title=TREE.nb["title"], slug=TREE.nb["slug"], intro=TREE.nb["intro"])
        home.locale = locale
        Page.get_first_root_node().add_child(instance=home)
    placeholder = site.root_page
    site.root_page = home
    site.site_name = "Kompetanseportalen"
    site.save()
    # Wagtail's "Welcome" placeholder has no place in the portal.
    if placeholder.depth == 2 and type(placeholder.specific) is Page:
        if not placeholder.get_children().exists():
            placeholder.delete()
    return home


def _ensure_page(parent, spec, pages):
    page = parent.get_children().filter(slug=spec.nb["slug"]).first()
    if page:
        return page.specific, False
    fields = _page_fields(spec, pages)
    page = spec.model(**fields, show_in_menus=spec.in_menu)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def seed(progress):
    nb, _created = Locale.objects.get_or_create(language_code="nb")
    nn, _created = Locale.objects.get_or_create(language_code="nn")
    site = _default_site(nb)
    seed_places()
    progress.update()

    pages = {"home": _home(site, nb)}
    progress.update()

    def create(spec, parent):
        for child in spec.children:
            pages[child.key], _created = _ensure_page(parent, child, pages)
            progress.update()
            create(child, pages[child.key])

    create(TREE, pages["home"])
    pages.update(seed_guidance(pages["guidance"], progress))
    create_courses(progress, nb)

    home = pages["home"]
    if not home.entry_points:
        for name in ("entry_points", "more_links"):
            setattr(home, name, _resolve_links(TREE.nb[name], pages))
        home.save_revision().publish()

    # New nb pages get nn aliases (wagtail-localize's synchronised trees) until translated.
    LocaleSynchronization.objects.get_or_create(locale=nn, defaults={"sync_from": nb})
    synchronize_tree(nb, nn)
    for spec in walk(TREE):
        page = pages[spec.key]
        twin = page.get_translation_or_none(nn)
        if twin is None or twin.alias_of_id:
            publish_translation(page, nn, spec.nn)
        progress.update()
    translate_guidance(pages, nn, progress)
    translate_courses(progress, nb, nn)

    settings = SiteSettings.for_site(site)
    if not settings.email:
        for name, value in CONTACT.items():
            setattr(settings, name, value)
        settings.accessibility_page = pages["accessibility"]
        settings.privacy_page = pages["privacy"]
        settings.save()
    progress.update()
