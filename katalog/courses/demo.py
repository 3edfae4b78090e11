"""Demo courses for municipal employees in Vestland, in bokmål with nynorsk translations.

Sessions are spread over the next twelve months across the region's municipalities from a fixed
random seed, so every run builds the same catalogue. `seats_taken` is set on some sessions to show
the catalogue's seat states ("4 free seats", "Full – waiting list") until real enrolments exist.
"""

import datetime
import random

from django.utils import timezone
from django.utils.text import slugify

from katalog.places.models import Municipality
from portal.translation import publish_translation

from .models import Audience, Category, CourseIndexPage, CoursePage, CourseSession

CATEGORIES = [
    ("leiing", "Ledelse", "Leiing"),
    ("helse", "Helse og omsorg", "Helse og omsorg"),
    ("skule", "Skole og barnehage", "Skule og barnehage"),
    ("digitalisering", "Digitalisering", "Digitalisering"),
    ("klarsprak", "Klarspråk og kommunikasjon", "Klarspråk og kommunikasjon"),
    ("hms", "HMS og arbeidsmiljø", "HMS og arbeidsmiljø"),
    ("rettleiing", "Veiledning", "Rettleiing"),
]

AUDIENCES = [
    ("leiarar", "Ledere", "Leiarar"),
    ("tilsette", "Alle ansatte", "Alle tilsette"),
    ("helsepersonell", "Helsepersonell", "Helsepersonell"),
    ("laerarar", "Lærere og barnehagelærere", "Lærarar og barnehagelærarar"),
    ("saksbehandlarar", "Saksbehandlere", "Saksbehandlarar"),
    ("tillitsvalde", "Tillitsvalgte og verneombud", "Tillitsvalde og verneombod"),
]

PROVIDERS = [
    "Vestland fylkeskommune",
    "Høgskulen på Vestlandet",
    "Universitetet i Bergen",
    "KS Vestland",
    "Bergen kommune",
    "Statsforvaltaren i Vestland",
]

# (nb title, nn title, nb intro, nn intro, category, audiences, mode, price)
COURSES = [
    (
        "Ledelse i kommunen – grunnkurs",
        "Leiing i kommunen – grunnkurs",
        "For nye ledere som vil bli trygge i rollen som leder i en kommune.",
        "For nye leiarar som vil bli trygge i rolla som leiar i ein kommune.",
        "leiing",
        ["leiarar"],
        "blended",
        2500,
    ),
    (
        "Lederutvikling for mellomledere",
        "Leiarutvikling for mellomleiarar",
        "Samlinger om personalledelse, endring og samarbeid for ledere med ledere under seg.",
        "Samlingar om personalleiing, endring og samarbeid for leiarar med leiarar under seg.",
        "leiing",
        ["leiarar"],
        "classroom",
        4500,
    ),
    (
        "Medarbeidersamtalen i praksis",
        "Medarbeidarsamtalen i praksis",
        "Hvordan ledere forbereder og gjennomfører gode medarbeidersamtaler.",
        "Korleis leiarar førebur og gjennomfører gode medarbeidarsamtalar.",
        "leiing",
        ["leiarar"],
        "online",
        0,
    ),
    (
        "Ledelse av endring og omstilling",
        "Leiing av endring og omstilling",
        "Verktøy for ledere som skal lede ansatte gjennom omstilling.",
        "Verktøy for leiarar som skal leie tilsette gjennom omstilling.",
        "leiing",
        ["leiarar", "tillitsvalde"],
        "classroom",
        3000,
    ),
    (
        "Ledermøtet som verktøy",
        "Leiarmøtet som verktøy",
        "Slik blir ledermøtene korte, nyttige og godt forberedt.",
        "Slik blir leiarmøta korte, nyttige og godt førebudde.",
        "leiing",
        ["leiarar"],
        "online",
        0,
    ),
    (
        "Veiledning av nyansatte",
        "Rettleiing av nytilsette",
        "Metoder for å ta imot og veilede nyansatte det første året.",
        "Metodar for å ta imot og rettleie nytilsette det første året.",
        "rettleiing",
        ["tilsette", "leiarar"],
        "classroom",
        1500,
    ),
    (
        "Praksisveilederutdanning for helse",
        "Praksisrettleiarutdanning for helse",
        "For helsepersonell som veileder studenter og lærlinger i praksis.",
        "For helsepersonell som rettleier studentar og lærlingar i praksis.",
        "rettleiing",
        ["helsepersonell"],
        "blended",
        3500,
    ),
    (
        "Kollegaveiledning i skolen",
        "Kollegarettleiing i skulen",
        "Lærere lærer å veilede hverandre i undervisning og klasseledelse.",
        "Lærarar lærer å rettleie kvarandre i undervisning og klasseleiing.",
        "rettleiing",
        ["laerarar"],
        "classroom",
        1000,
    ),
    (
        "Opplæring i arbeidslivet – instruktørkurs for ansatte",
        "Opplæring i arbeidslivet – instruktørkurs for tilsette",
        "For ansatte som skal lære opp lærlinger og nye kolleger på arbeidsplassen.",
        "For tilsette som skal lære opp lærlingar og nye kollegaer på arbeidsplassen.",
        "rettleiing",
        ["tilsette"],
        "classroom",
        1200,
    ),
    (
        "Demensomsorgens ABC",
        "Demensomsorga sin ABC",
        "Grunnleggende kunnskap om demens for ansatte i helse og omsorg.",
        "Grunnleggjande kunnskap om demens for tilsette i helse og omsorg.",
        "helse",
        ["helsepersonell"],
        "blended",
        800,
    ),
    (
        "Legemiddelhåndtering i kommunehelsetjenesten",
        "Legemiddelhandtering i kommunehelsetenesta",
        "Trygg håndtering av legemidler, med oppdatering på regelverket.",
        "Trygg handtering av legemiddel, med oppdatering på regelverket.",
        "helse",
        ["helsepersonell"],
        "elearning",
        0,
    ),
    (
        "Velferdsteknologi i hjemmetjenesten",
        "Velferdsteknologi i heimetenesta",
        "Digitalt tilsyn, medisindispensere og trygghetsalarmer i praksis.",
        "Digitalt tilsyn, medisindispenserar og tryggleiksalarmar i praksis.",
        "helse",
        ["helsepersonell", "tilsette"],
        "classroom",
        1500,
    ),
    (
        "Palliasjon – lindrende behandling",
        "Palliasjon – lindrande behandling",
        "Kompetanse i lindrende behandling og omsorg ved livets slutt.",
        "Kompetanse i lindrande behandling og omsorg ved slutten av livet.",
        "helse",
        ["helsepersonell"],
        "classroom",
        2000,
    ),
    (
        "Psykisk helse og rus – førstehjelp for ansatte",
        "Psykisk helse og rus – førstehjelp for tilsette",
        "Hvordan møte mennesker i krise, for ansatte i alle tjenester.",
        "Korleis møte menneske i krise, for tilsette i alle tenester.",
        "helse",
        ["tilsette", "helsepersonell"],
        "classroom",
        1000,
    ),
    (
        "Vold og trusler på arbeidsplassen",
        "Vald og truslar på arbeidsplassen",
        "Forebygging og håndtering av vold og trusler for ansatte med brukerkontakt.",
        "Førebygging og handtering av vald og truslar for tilsette med brukarkontakt.",
        "hms",
        ["tilsette", "tillitsvalde"],
        "classroom",
        900,
    ),
    (
        "Grunnopplæring for verneombud",
        "Grunnopplæring for verneombod",
        "Den lovpålagte 40-timers opplæringen i HMS for verneombud og ledere.",
        "Den lovpålagde 40-timarsopplæringa i HMS for verneombod og leiarar.",
        "hms",
        ["tillitsvalde", "leiarar"],
        "blended",
        3000,
    ),
    (
        "Arbeidsmiljø og sykefravær",
        "Arbeidsmiljø og sjukefråvær",
        "Ledere og tillitsvalgte lærer å følge opp sykefravær sammen.",
        "Leiarar og tillitsvalde lærer å følgje opp sjukefråvær saman.",
        "hms",
        ["leiarar", "tillitsvalde"],
        "online",
        0,
    ),
    (
        "Klarspråk i saksbehandlingen",
        "Klarspråk i sakshandsaminga",
        "Skriv vedtak og brev som innbyggerne forstår første gang.",
        "Skriv vedtak og brev som innbyggjarane forstår første gongen.",
        "klarsprak",
        ["saksbehandlarar"],
        "classroom",
        1200,
    ),
    (
        "Nynorsk for ansatte i kommunen",
        "Nynorsk for tilsette i kommunen",
        "Praktisk nynorsk for ansatte i nynorskkommuner: ord, former og maler.",
        "Praktisk nynorsk for tilsette i nynorskkommunar: ord, former og malar.",
        "klarsprak",
        ["tilsette", "saksbehandlarar"],
        "online",
        0,
    ),
    (
        "Klarspråk på nett – skriv for leserne",
        "Klarspråk på nett – skriv for lesarane",
        "Skriv nettsider som er lette å lese og finne fram i.",
        "Skriv nettsider som er lette å lese og finne fram i.",
        "klarsprak",
        ["tilsette"],
        "elearning",
        0,
    ),
    (
        "Innbyggerdialog og medvirkning",
        "Innbyggjardialog og medverknad",
        "Metoder for å involvere innbyggerne i planer og tjenester.",
        "Metodar for å involvere innbyggjarane i planar og tenester.",
        "klarsprak",
        ["saksbehandlarar", "leiarar"],
        "classroom",
        1500,
    ),
    (
        "Digital kompetanse for ansatte",
        "Digital kompetanse for tilsette",
        "Grunnkurs i de digitale verktøyene alle ansatte i kommunen bruker.",
        "Grunnkurs i dei digitale verktøya som kvar tilsett i kommunen bruker.",
        "digitalisering",
        ["tilsette"],
        "elearning",
        0,
    ),
    (
        "Informasjonssikkerhet og personvern",
        "Informasjonstryggleik og personvern",
        "Hvordan ansatte beskytter opplysninger om innbyggerne i hverdagen.",
        "Korleis tilsette vernar opplysningar om innbyggjarane i kvardagen.",
        "digitalisering",
        ["tilsette", "saksbehandlarar"],
        "elearning",
        0,
    ),
    (
        "Kunstig intelligens i offentlig sektor",
        "Kunstig intelligens i offentleg sektor",
        "Muligheter, risiko og regelverk for bruk av KI i kommunen.",
        "Moglegheiter, risiko og regelverk for bruk av KI i kommunen.",
        "digitalisering",
        ["leiarar", "saksbehandlarar"],
        "online",
        500,
    ),
    (
        "Tjenestedesign for kommuner",
        "Tenestedesign for kommunar",
        "Utvikle tjenester sammen med brukerne, fra innsikt til prototype.",
        "Utvikle tenester saman med brukarane, frå innsikt til prototype.",
        "digitalisering",
        ["saksbehandlarar", "leiarar"],
        "blended",
        2500,
    ),
    (
        "Excel for saksbehandlere",
        "Excel for saksbehandlarar",
        "Tabeller, formler og pivot for budsjett og rapportering.",
        "Tabellar, formlar og pivot for budsjett og rapportering.",
        "digitalisering",
        ["saksbehandlarar"],
        "online",
        600,
    ),
    (
        "Klasseledelse i praksis",
        "Klasseleiing i praksis",
        "For lærere som vil skape ro, struktur og gode relasjoner i klassen.",
        "For lærarar som vil skape ro, struktur og gode relasjonar i klassen.",
        "skule",
        ["laerarar"],
        "classroom",
        1000,
    ),
    (
        "Tidlig innsats i barnehagen",
        "Tidleg innsats i barnehagen",
        "Språk og sosial kompetanse hos de minste barna.",
        "Språk og sosial kompetanse hos dei minste borna.",
        "skule",
        ["laerarar"],
        "classroom",
        800,
    ),
    (
        "Vurdering for læring i skolen",
        "Vurdering for læring i skulen",
        "Underveisvurdering som hjelper elevene å lære mer.",
        "Undervegsvurdering som hjelper elevane å lære meir.",
        "skule",
        ["laerarar"],
        "blended",
        1200,
    ),
    (
        "Skolemiljø og mobbing – aktivitetsplikten",
        "Skulemiljø og mobbing – aktivitetsplikta",
        "Opplæringsloven kapittel 12 i praksis for lærere og skoleledere.",
        "Opplæringslova kapittel 12 i praksis for lærarar og skuleleiarar.",
        "skule",
        ["laerarar", "leiarar"],
        "online",
        0,
    ),
    (
        "Digitale verktøy i undervisningen",
        "Digitale verktøy i undervisninga",
        "Pedagogisk bruk av nettbrett, PC og læringsplattform.",
        "Pedagogisk bruk av nettbrett, PC og læringsplattform.",
        "skule",
        ["laerarar"],
        "elearning",
        0,
    ),
    (
        "Førstehjelp for ansatte i barnehage og skole",
        "Førstehjelp for tilsette i barnehage og skule",
        "Praktisk førstehjelp for barn, med øvelser.",
        "Praktisk førstehjelp for born, med øvingar.",
        "hms",
        ["laerarar", "tilsette"],
        "classroom",
        700,
    ),
    (
        "Tillitsvalgt i kommunen – grunnkurs",
        "Tillitsvald i kommunen – grunnkurs",
        "Rollen, avtaleverket og samarbeidet med ledelsen.",
        "Rolla, avtaleverket og samarbeidet med leiinga.",
        "hms",
        ["tillitsvalde"],
        "online",
        0,
    ),
]

VENUES = ["Rådhuset", "Kulturhuset", "Helsehuset", "Kommunestyresalen", "Læringssenteret"]


def count_course_steps():
    return 1 + 2 * len(COURSES)


def seed_taxonomies():
    for model, rows in ((Category, CATEGORIES), (Audience, AUDIENCES)):
        for slug, name_nb, name_nn in rows:
            model.objects.get_or_create(
                slug=slug, defaults={"name_nb": name_nb, "name_nn": name_nn}
            )


def _sessions(rng, mode, municipalities, today):
    count = 3 if mode == "elearning" else rng.choice([2, 3, 3, 4])
    sessions = []
    for _i in range(count):
        day = today + datetime.timedelta(days=rng.randint(7, 360))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        online = mode in ("online", "elearning")
        capacity = rng.choice([12, 16, 20, 24, 30])
        sessions.append(
            CourseSession(
                start=start,
                end=start + datetime.timedelta(hours=rng.choice([3, 6, 6, 30])),
                enrolment_deadline=start - datetime.timedelta(days=rng.choice([3, 7, 14])),
                online=online,
                venue_name="" if online else rng.choice(VENUES),
                municipality=None if online else rng.choice(municipalities),
                capacity=capacity,
                seats_taken=rng.choice([0, 0, capacity - 4, capacity, capacity // 2]),
            )
        )
    return sessions


def create_courses(progress, nb):
    """The demo courses in bokmål under the catalogue.

    Called before the nn tree is synchronised, so the nn catalogue knows its children (as
    aliases) when its own translation is published.
    """
    seed_taxonomies()
    progress.update()
    index = CourseIndexPage.objects.get(locale=nb)
    categories = {c.slug: c for c in Category.objects.all()}
    audiences = {a.slug: a for a in Audience.objects.all()}
    municipalities = list(Municipality.objects.order_by("number"))
    rng = random.Random(4)
    today = timezone.localdate()
    for number, row in enumerate(COURSES):
        title_nb, _title_nn, intro_nb, _intro_nn, category, audience_slugs, mode, price = row
        slug = slugify(title_nb)
        if not CoursePage.objects.filter(locale=nb, slug=slug).exists():
            page = CoursePage(
                title=title_nb,
                slug=slug,
                intro=intro_nb,
                category=categories[category],
                mode=mode,
                provider=PROVIDERS[number % len(PROVIDERS)],
                price=price,
                contact_name="Kari Nordmann",
                contact_email="kurs@example.no",
                manager_approval_required=price > 2000,
            )
            page.audiences = [audiences[slug] for slug in audience_slugs]
            page.sessions = _sessions(rng, mode, municipalities, today)
            index.add_child(instance=page)
            page.save_revision().publish()
        progress.update()


def translate_courses(progress, nb, nn):
    """Publish the nynorsk translation of every demo course that has none yet."""
    for title_nb, title_nn, _intro_nb, intro_nn, *_rest in COURSES:
        page = CoursePage.objects.get(locale=nb, slug=slugify(title_nb))
        twin = page.get_translation_or_none(nn)
        if twin is None or twin.alias_of_id:
            publish_translation(
                page, nn, {"title": title_nn, "slug": slugify(title_nn), "intro": intro_nn}
            )
        progress.update()
