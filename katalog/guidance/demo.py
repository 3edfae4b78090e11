"""Demo guidance door: the region's centres, decentralised education and a self-assessment."""

import datetime

from django.contrib.auth.models import Group, Permission

from katalog.places.models import Municipality
from portal.translation import publish_translation

from .models import (
    CentrePage,
    DecentralisedEducationPage,
    ExceptionDay,
    OpeningHours,
    SelfAssessmentPage,
)

BERGEN_REGION = ["4601", "4623", "4624", "4626", "4627", "4628", "4630"]
NORDHORDLAND = ["4629", "4631", "4632", "4633", "4634", "4635"]
SUNNHORDLAND = ["4611", "4612", "4613", "4614", "4615", "4616", "4617", "4625"]
HARDANGER_VOSS = ["4618", "4619", "4620", "4621", "4622"]
SOGN = ["4638", "4639", "4640", "4641", "4642", "4643", "4644"]
SUNNFJORD = ["4636", "4637", "4645", "4646", "4647"]
NORDFJORD = ["4602", "4648", "4649", "4650", "4651"]

WEEKDAYS_0800_1530 = [(day, "08:00", "15:30") for day in range(5)]
HOLIDAYS = [
    ("2026-12-24", None, None, "Julaften"),
    ("2026-12-31", None, None, "Nyttårsaften"),
    ("2027-03-24", "08:00", "12:00", "Før påske"),
    ("2027-03-25", None, None, "Skjærtorsdag"),
]


def _paragraph(text):
    return f"<p>{text}</p>"


CENTRES = [
    {
        "key": "centre-bergen",
        "kind": "career_centre",
        "services": ["career_guidance", "prior_learning"],
        "municipalities": BERGEN_REGION,
        "is_fallback": True,
        "address": ("Kaigaten 4", "5015", "Bergen", "60.389400", "5.332700"),
        "phone": "55 63 92 00",
        "email": "karriere.bergen@example.no",
        "hours": [
            (0, "08:00", "15:30"),
            (1, "08:00", "15:30"),
            (2, "08:00", "15:30"),
            (3, "08:00", "18:00"),
            (4, "08:00", "15:30"),
        ],
        "nb": {
            "title": "Karriere Vestland – Bergen",
            "slug": "karriere-vestland-bergen",
            "intro": "Gratis karriereveiledning for alle over 19 år i Bergen og omegn.",
            "how_to_book": "Bestill en samtale i skjemaet, ring oss eller kom innom. "
            "Torsdager har vi åpent til 18.",
            "body": "Vi hjelper deg med jobbsøking, utdanningsvalg og vurdering av "
            "realkompetanse. Samtalen kan være på kontoret, på telefon eller video.",
        },
        "nn": {
            "title": "Karriere Vestland – Bergen",
            "slug": "karriere-vestland-bergen",
            "intro": "Gratis karriererettleiing for alle over 19 år i Bergen og omegn.",
            "how_to_book": "Bestill ein samtale i skjemaet, ring oss eller kom innom. "
            "Torsdagar har vi ope til 18.",
            "body": "Vi hjelper deg med jobbsøking, utdanningsval og vurdering av "
            "realkompetanse. Samtalen kan vere på kontoret, på telefon eller video.",
        },
    },
    {
        "key": "centre-opus-bergen",
        "kind": "opus",
        "services": ["prior_learning", "employee_courses", "study_guidance"],
        "municipalities": ["4601", "4626", "4627"],
        "address": ("Kong Oscars gate 36", "5017", "Bergen", "60.393500", "5.329000"),
        "phone": "55 63 94 40",
        "email": "opus.bergen@example.no",
        "nb": {
            "title": "OPUS Bergen",
            "slug": "opus-bergen",
            "intro": "Videregående opplæring for voksne, fagbrev og vurdering av realkompetanse.",
            "how_to_book": "Send en bestilling i skjemaet, så ringer en rådgiver deg.",
            "body": "OPUS Bergen er voksenopplæringen til de videregående skolene i Bergen.",
        },
        "nn": {
            "title": "OPUS Bergen",
            "slug": "opus-bergen",
            "intro": "Vidaregåande opplæring for vaksne, fagbrev og vurdering av realkompetanse.",
            "how_to_book": "Send ei bestilling i skjemaet, så ringjer ein rådgivar deg.",
            "body": "OPUS Bergen er vaksenopplæringa til dei vidaregåande skulane i Bergen.",
        },
    },
    {
        "key": "centre-nordhordland",
        "kind": "competence_office",
        "services": ["employee_courses", "career_guidance"],
        "municipalities": NORDHORDLAND,
        "address": ("Kvassnesvegen 23", "5914", "Isdalstø", "60.544000", "5.265000"),
        "phone": "56 37 50 00",
        "email": "rkk.nordhordland@example.no",
        "nb": {
            "title": "Regionalt kompetansekontor Nordhordland",
            "slug": "rkk-nordhordland",
            "intro": "Kurs for ansatte i kommunene og veiledning for innbyggere i Nordhordland.",
            "how_to_book": "Ring eller send en bestilling, så finner vi en tid.",
            "body": "Kontoret samarbeider med kommunene om opplæring og kompetanseplaner.",
        },
        "nn": {
            "title": "Regionalt kompetansekontor Nordhordland",
            "slug": "rkk-nordhordland",
            "intro": "Kurs for tilsette i kommunane og rettleiing for innbyggjarar i Nordhordland.",
            "how_to_book": "Ring eller send ei bestilling, så finn vi ei tid.",
            "body": "Kontoret samarbeider med kommunane om opplæring og kompetanseplanar.",
        },
    },
    {
        "key": "centre-sunnhordland",
        "kind": "study_centre",
        "services": ["study_guidance", "decentralised_education"],
        "municipalities": SUNNHORDLAND,
        "address": ("Sæ 131", "5417", "Stord", "59.780000", "5.501000"),
        "phone": "53 49 60 00",
        "email": "studiesenter.sunnhordland@example.no",
        "nb": {
            "title": "Studiesenteret Sunnhordland",
            "slug": "studiesenteret-sunnhordland",
            "intro": "Høyere utdanning der du bor: samlingsbaserte studier på Stord.",
            "how_to_book": "Ta kontakt for en studieveiledning før søknadsfristen 15. april.",
            "body": "Vi har lesesal, eksamenslokaler og veiledning for deg som studerer.",
        },
        "nn": {
            "title": "Studiesenteret Sunnhordland",
            "slug": "studiesenteret-sunnhordland",
            "intro": "Høgare utdanning der du bur: samlingsbaserte studium på Stord.",
            "how_to_book": "Ta kontakt for studierettleiing før søknadsfristen 15. april.",
            "body": "Vi har lesesal, eksamenslokale og rettleiing for deg som studerer.",
        },
    },
    {
        "key": "centre-voss",
        "kind": "opus",
        "services": ["prior_learning", "study_guidance", "employee_courses"],
        "municipalities": HARDANGER_VOSS,
        "address": ("Ringvegen 12", "5705", "Voss", "60.630000", "6.417000"),
        "phone": "56 52 30 00",
        "email": "opus.voss@example.no",
        "nb": {
            "title": "OPUS Voss",
            "slug": "opus-voss",
            "intro": "Opplæring og realkompetansevurdering for voksne i Hardanger og Voss.",
            "how_to_book": "Bestill en samtale i skjemaet eller ring sentralbordet.",
            "body": "Vi har også kontordager i Norheimsund og Odda.",
        },
        "nn": {
            "title": "OPUS Voss",
            "slug": "opus-voss",
            "intro": "Opplæring og realkompetansevurdering for vaksne i Hardanger og Voss.",
            "how_to_book": "Bestill ein samtale i skjemaet eller ring sentralbordet.",
            "body": "Vi har òg kontordagar i Norheimsund og Odda.",
        },
    },
    {
        "key": "centre-sogn",
        "kind": "career_and_study_centre",
        "services": ["career_guidance", "study_guidance", "decentralised_education"],
        "municipalities": SOGN,
        "address": ("Trolladalen 30", "6856", "Sogndal", "61.229000", "7.095000"),
        "phone": "57 67 60 00",
        "email": "karriere.sogn@example.no",
        "nb": {
            "title": "Karriere- og studiesenteret i Sogn",
            "slug": "karriere-og-studiesenteret-sogn",
            "intro": "Karriereveiledning og studiesenter under samme tak i Sogndal.",
            "how_to_book": "Send en bestilling, ring eller kom innom på campus.",
            "body": "Vi veileder i Sogndal og har faste dager i Årdal og Høyanger.",
        },
        "nn": {
            "title": "Karriere- og studiesenteret i Sogn",
            "slug": "karriere-og-studiesenteret-sogn",
            "intro": "Karriererettleiing og studiesenter under same tak i Sogndal.",
            "how_to_book": "Send ei bestilling, ring eller kom innom på campus.",
            "body": "Vi rettleier i Sogndal og har faste dagar i Årdal og Høyanger.",
        },
    },
    {
        "key": "centre-forde",
        "kind": "career_centre",
        "services": ["career_guidance", "prior_learning"],
        "municipalities": SUNNFJORD + NORDFJORD,
        "address": ("Hafstadvegen 21", "6800", "Førde", "61.452000", "5.856000"),
        "phone": "57 63 80 00",
        "email": "karriere.forde@example.no",
        "nb": {
            "title": "Karriere Vestland – Førde",
            "slug": "karriere-vestland-forde",
            "intro": "Karriereveiledning for Sunnfjord, Ytre Sogn og Nordfjord.",
            "how_to_book": "Bestill en samtale i skjemaet; vi tilbyr også video.",
            "body": "Veilederne våre reiser til Florø, Eid og Stryn hver måned.",
        },
        "nn": {
            "title": "Karriere Vestland – Førde",
            "slug": "karriere-vestland-forde",
            "intro": "Karriererettleiing for Sunnfjord, Ytre Sogn og Nordfjord.",
            "how_to_book": "Bestill ein samtale i skjemaet; vi tilbyr òg video.",
            "body": "Rettleiarane våre reiser til Florø, Eid og Stryn kvar månad.",
        },
    },
    {
        "key": "centre-nordfjord",
        "kind": "study_centre",
        "services": ["study_guidance", "decentralised_education"],
        "municipalities": NORDFJORD,
        "address": ("Sjøgata 36", "6770", "Nordfjordeid", "61.911000", "5.990000"),
        "phone": "57 86 00 00",
        "email": "studiesenter.nordfjord@example.no",
        "nb": {
            "title": "Studiesenteret Nordfjord",
            "slug": "studiesenteret-nordfjord",
            "intro": "Studier i Nordfjord med samlinger på Eid og nettundervisning.",
            "how_to_book": "Ring oss eller send en bestilling om studieveiledning.",
            "body": "Vi samarbeider med Høgskulen på Vestlandet og NTNU.",
        },
        "nn": {
            "title": "Studiesenteret Nordfjord",
            "slug": "studiesenteret-nordfjord",
            "intro": "Studium i Nordfjord med samlingar på Eid og nettundervisning.",
            "how_to_book": "Ring oss eller send ei bestilling om studierettleiing.",
            "body": "Vi samarbeider med Høgskulen på Vestlandet og NTNU.",
        },
    },
]

STUDY_OFFERS = [
    (
        "centre-sunnhordland",
        {
            "title": "Barnehagelærerutdanning, deltid",
            "provider": "Høgskulen på Vestlandet",
            "place": "Stord",
            "description": "Samlingsbasert bachelor over fire år, for deg som jobber i barnehage.",
        },
        {
            "title": "Barnehagelærarutdanning, deltid",
            "provider": "Høgskulen på Vestlandet",
            "place": "Stord",
            "description": "Samlingsbasert bachelor over fire år, for deg som jobbar i barnehage.",
        },
    ),
    (
        "centre-sogn",
        {
            "title": "Vernepleie, deltid",
            "provider": "Høgskulen på Vestlandet",
            "place": "Sogndal",
            "description": "Fire år med samlinger i Sogndal og praksis i egen kommune.",
        },
        {
            "title": "Vernepleie, deltid",
            "provider": "Høgskulen på Vestlandet",
            "place": "Sogndal",
            "description": "Fire år med samlingar i Sogndal og praksis i eigen kommune.",
        },
    ),
    (
        "centre-nordfjord",
        {
            "title": "Økonomi og administrasjon",
            "provider": "NTNU",
            "place": "Nordfjordeid",
            "description": "Årsstudium på nett med tre samlinger på studiesenteret.",
        },
        {
            "title": "Økonomi og administrasjon",
            "provider": "NTNU",
            "place": "Nordfjordeid",
            "description": "Årsstudium på nett med tre samlingar på studiesenteret.",
        },
    ),
]

EDUCATION_PAGE = {
    "nb": {
        "title": "Desentralisert utdanning",
        "slug": "desentralisert-utdanning",
        "intro": "Studier som studiesentrene legger til rette for der du bor.",
    },
    "nn": {
        "title": "Utdanning der du bur",
        "slug": "desentralisert-utdanning",
        "intro": "Studium som studiesentera legg til rette for der du bur.",
    },
}

SELF_ASSESSMENT = {
    "nb": {
        "title": "Vurder realkompetansen din",
        "slug": "realkompetanse",
        "intro": "Svar på utsagnene, så får du en oppsummering du kan skrive ut eller ta "
        "med til en veiledningssamtale. Ingenting lagres før du selv sender det.",
    },
    "nn": {
        "title": "Vurder din eigen realkompetanse",
        "slug": "realkompetanse",
        "intro": "Svar på utsegnene, så får du ei oppsummering du kan skrive ut eller ta "
        "med til ein rettleiingssamtale. Ingenting blir lagra før du sjølv sender det.",
    },
    "themes": [
        (
            ("Arbeid og ansvar", "Tenk på jobber, verv og frivillig arbeid."),
            ("Arbeid og ansvar", "Tenk på jobbar, verv og frivillig arbeid."),
            [
                (
                    "Jeg kan planlegge og organisere eget arbeid.",
                    "Eg kan planleggje og organisere mitt eige arbeid.",
                ),
                ("Jeg kan lære opp og veilede andre.", "Eg kan lære opp og rettleie andre."),
                ("Jeg kan ta ansvar når noe går galt.", "Eg kan ta ansvar når noko går gale."),
            ],
        ),
        (
            ("Kommunikasjon og samarbeid", "Tenk på hvordan du jobber med andre."),
            ("Kommunikasjon og samarbeid", "Tenk på korleis du arbeider med andre."),
            [
                (
                    "Jeg kan skrive en kort rapport eller e-post på norsk.",
                    "Eg kan skrive ein kort rapport eller e-post på norsk.",
                ),
                (
                    "Jeg samarbeider godt med folk med annen bakgrunn enn meg.",
                    "Eg samarbeider godt med folk med anna bakgrunn enn meg.",
                ),
                ("Jeg kan legge fram noe for en gruppe.", "Eg kan leggje fram noko for ei gruppe."),
            ],
        ),
        (
            ("Digitale ferdigheter", "Tenk på verktøy du bruker i jobb og hverdag."),
            ("Digitale ferdigheiter", "Tenk på verktøy du brukar i jobb og kvardag."),
            [
                (
                    "Jeg bruker e-post, kalender og delte dokumenter.",
                    "Eg brukar e-post, kalender og delte dokument.",
                ),
                (
                    "Jeg finner og vurderer informasjon på nettet.",
                    "Eg finn og vurderer informasjon på nettet.",
                ),
                (
                    "Jeg kan lære meg et nytt fagsystem på egen hånd.",
                    "Eg kan lære meg eit nytt fagsystem på eiga hand.",
                ),
            ],
        ),
    ],
}

STAFF_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("guidance", "view_guidancerequest"),
    ("guidance", "change_guidancerequest"),
]


def guidance_steps():
    """Progress steps of seed_guidance: each page made and each translated."""
    return 2 * (len(CENTRES) + 2)


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _staff_group(title):
    group, created = Group.objects.get_or_create(name=f"Senter: {title}")
    if created:
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in STAFF_PERMISSIONS
        ]
        group.permissions.set(permissions)
    return group


def _new_centre(spec, municipalities):
    street, postcode, town, latitude, longitude = spec["address"]
    nb = spec["nb"]
    centre = CentrePage(
        title=nb["title"],
        slug=nb["slug"],
        intro=nb["intro"],
        how_to_book=nb["how_to_book"],
        body=[("paragraph", _paragraph(nb["body"]))],
        kind=spec["kind"],
        services=spec["services"],
        is_fallback=spec.get("is_fallback", False),
        street_address=street,
        postcode=postcode,
        post_town=town,
        latitude=latitude,
        longitude=longitude,
        phone=spec["phone"],
        email=spec["email"],
        staff_group=_staff_group(nb["title"]),
    )
    centre.municipalities = [municipalities[number] for number in spec["municipalities"]]
    centre.opening_hours = [
        OpeningHours(weekday=day, opens=_time(opens), closes=_time(closes))
        for day, opens, closes in spec.get("hours", WEEKDAYS_0800_1530)
    ]
    centre.exception_days = [
        ExceptionDay(date=date, opens=_time(opens), closes=_time(closes), note=note)
        for date, opens, closes, note in HOLIDAYS
    ]
    return centre


def _child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish_new(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page, locale, values):
    twin = page.get_translation_or_none(locale)
    if twin is None or twin.alias_of_id:
        publish_translation(page, locale, values)


def seed_guidance(guidance, progress):
    """Centres, decentralised education and a self-assessment under the nb guidance page.

    Runs before the nn tree is synchronised: a translation published in the same transaction
    before its children exist would be saved again at commit with no children counted.
    Looks before it writes; returns the nb pages by key.
    """
    municipalities = {m.number: m for m in Municipality.objects.all()}
    pages = {}
    for spec in CENTRES:
        centre = _child(guidance, CentrePage, spec["nb"]["slug"])
        if centre is None:
            centre = _publish_new(guidance, _new_centre(spec, municipalities))
        pages[spec["key"]] = centre
        progress.update()

    education = _child(guidance, DecentralisedEducationPage, EDUCATION_PAGE["nb"]["slug"])
    if education is None:
        education = DecentralisedEducationPage(
            **EDUCATION_PAGE["nb"],
            offers=[("offer", {**nb, "centre": pages[key]}) for key, nb, _nn in STUDY_OFFERS],
        )
        _publish_new(guidance, education)
    pages["education"] = education
    progress.update()

    assessment = _child(guidance, SelfAssessmentPage, SELF_ASSESSMENT["nb"]["slug"])
    if assessment is None:
        assessment = SelfAssessmentPage(
            **SELF_ASSESSMENT["nb"],
            themes=[
                (
                    "theme",
                    {"title": title, "intro": intro, "questions": [nb for nb, _nn in questions]},
                )
                for (title, intro), _nn, questions in SELF_ASSESSMENT["themes"]
            ],
        )
        _publish_new(guidance, assessment)
    pages["self-assessment"] = assessment
    progress.update()
    return pages


def translate_guidance(pages, nn, progress):
    """Publish the nn translations of seed_guidance's pages (after the tree is synchronised)."""
    for spec in CENTRES:
        nn_values = {**spec["nn"], "body": [_paragraph(spec["nn"]["body"])]}
        _translate(pages[spec["key"]], nn, nn_values)
        progress.update()
    _translate(
        pages["education"],
        nn,
        {**EDUCATION_PAGE["nn"], "offers": [nn_offer for _key, _nb, nn_offer in STUDY_OFFERS]},
    )
    progress.update()
    assessment = pages["self-assessment"]
    _translate(assessment, nn, _self_assessment_nn(assessment))
    progress.update()


def _self_assessment_nn(page):
    """The nn values; list items keep the source's ids so that the segments line up."""
    themes = []
    for block, (_nb, (title, intro), questions) in zip(
        page.themes.raw_data, SELF_ASSESSMENT["themes"], strict=True
    ):
        items = block["value"]["questions"]
        themes.append(
            {
                "title": title,
                "intro": intro,
                "questions": [
                    {**item, "value": nn}
                    for item, (_nb_q, nn) in zip(items, questions, strict=True)
                ],
            }
        )
    return {**SELF_ASSESSMENT["nn"], "themes": themes}
