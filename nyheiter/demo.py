"""Demo news articles in bokmål with their nynorsk translations (see portal.demo)."""

import datetime


def _days_ago(days):
    return datetime.date.today() - datetime.timedelta(days=days)


NEWS = [
    {
        "nb": {
            "title": "Nytt karrieresenter åpner i Sogndal",
            "slug": "nytt-karrieresenter-sogndal",
            "date": _days_ago(3),
            "intro": "Innbyggerne i Sogn får karriereveiledning nærmere der de bor.",
            "body": [
                (
                    "paragraph",
                    "<p>Fra januar har karrieresenteret faste kontordager "
                    "i Sogndal, og du kan bestille veiledning på nett.</p>",
                )
            ],
        },
        "nn": {
            "title": "Nytt karrieresenter opnar i Sogndal",
            "slug": "nytt-karrieresenter-sogndal",
            "intro": "Innbyggjarane i Sogn får karriererettleiing nærare der dei bur.",
            "body": [
                "<p>Frå januar har karrieresenteret faste kontordagar i Sogndal, og du "
                "kan bestille rettleiing på nett.</p>"
            ],
        },
    },
    {
        "nb": {
            "title": "Påmeldingen til vårens lederkurs er åpen",
            "slug": "lederkurs-var",
            "date": _days_ago(10),
            "intro": "Kurset for nye ledere i kommunene går over tre samlinger i Bergen og "
            "på nett.",
            "body": [
                (
                    "paragraph",
                    "<p>Kurset passer for ledere med under to års erfaring. Det er 30 plasser.</p>",
                )
            ],
        },
        "nn": {
            "title": "Påmeldinga til leiarkurset i vår er open",
            "slug": "leiarkurs-var",
            "intro": "Kurset for nye leiarar i kommunane går over tre samlingar i Bergen og "
            "på nett.",
            "body": [
                "<p>Kurset passar for leiarar med under to års erfaring. Det er 30 plassar.</p>"
            ],
        },
    },
    {
        "nb": {
            "title": "Realkompetanse kan gi deg fagbrev raskere",
            "slug": "realkompetanse-fagbrev",
            "date": _days_ago(24),
            "intro": "OPUS vurderer det du kan fra jobb og fritid opp mot læreplanene.",
            "body": [
                (
                    "paragraph",
                    "<p>Mange voksne har mer kompetanse enn papirene viser. "
                    "Ta kontakt med OPUS for en vurdering.</p>",
                )
            ],
        },
        "nn": {
            "title": "Realkompetanse kan gi deg fagbrev raskare",
            "slug": "realkompetanse-fagbrev",
            "intro": "OPUS vurderer det du kan frå jobb og fritid opp mot læreplanane.",
            "body": [
                "<p>Mange vaksne har meir kompetanse enn papira viser. Ta kontakt med "
                "OPUS for ei vurdering.</p>"
            ],
        },
    },
    {
        "nb": {
            "title": "Ny e-læring om klart språk for ansatte",
            "slug": "e-laering-klart-sprak",
            "date": _days_ago(40),
            "intro": "Et kort nettkurs som alle kommunene i regionen kan ta i bruk.",
            "body": [
                (
                    "paragraph",
                    "<p>Kurset tar omtrent en time og er fritt til bruk "
                    "under lisensen CC BY 4.0.</p>",
                )
            ],
        },
        "nn": {
            "title": "Ny e-læring om klart språk for tilsette",
            "slug": "e-laering-klart-sprak",
            "intro": "Eit kort nettkurs som alle kommunane i regionen kan ta i bruk.",
            "body": [
                "<p>Kurset tek om lag ein time og er fritt til bruk under lisensen CC BY 4.0.</p>"
            ],
        },
    },
]
