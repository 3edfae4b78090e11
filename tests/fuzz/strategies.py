"""Hostile values for the public surface, and query strings and bodies built from them."""

import datetime
import string
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

# Every code point a URL or a form can carry: astral ones included, lone surrogates left out
# (no UTF-8 can encode them, so no browser sends them).
ANY_CHAR = st.characters(exclude_categories=("Cs",))

# Characters that have broken web applications somewhere: NUL and other controls, bidi
# overrides, joiners, byte-order marks, non-characters, astral emoji, the Unicode line
# separators, URL and template syntax.
NASTY = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\xa0",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\uffff",
    "\U0010ffff",
    "\U0001f600",
    "\U0001f469\u200d\U0001f4bb",
    "\U0001d54f",
    "\U00010348",
    "e\u0301",
    "שלום",
    "مرحبا",
    "Ærlig øl på Åsane",
    "%",
    "%00",
    "%zz",
    "&",
    "=",
    "+",
    "#",
    "?",
    ";",
    "/",
    "\\",
    "'",
    '"',
    "<script>",
    "</script>",
    "{{ request }}",
    "{% now %}",
    "${x}",
    "../",
    "*",
    "(",
    ")",
    "NEAR",
    "OR",
    "-",
    "^",
    ":",
    "NULL",
    "None",
    "[]",
    "{}",
]

# Numbers and things that look like them: letters for numbers, huge and negative values, floats,
# more digits than Python's int() accepts (4300), other scripts' digits.
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        [
            "0",
            "-1",
            "1.0",
            "1e309",
            "NaN",
            "inf",
            "0x10",
            " 1 ",
            "1_000",
            "٤٦٠١",
            "４６０１",
            "²",
            "9" * 5000,
            "abc",
            "",
        ]
    ),
)


def repeat_to(piece, length):
    return (piece * (length // len(piece) + 1))[:length]


# Values of 10 000 characters and more, made by repetition so that Hypothesis need not draw
# every character.
LONG = st.builds(
    repeat_to,
    st.one_of(st.text(ANY_CHAR, min_size=1, max_size=6), st.sampled_from(NASTY)),
    st.integers(min_value=10_000, max_value=40_000),
)


def hostile_text(max_size=30):
    """Any text: random code points, nasty snippets strung together, numbers, long values."""
    return st.one_of(
        st.text(ANY_CHAR, max_size=max_size),
        st.lists(st.sampled_from(NASTY), max_size=6).map("".join),
        NUMBERISH,
        LONG,
    )


# Whitespace that str.strip() (and so a Django form field) removes from both ends.
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u3000"
BLANK = st.text(st.sampled_from(WHITESPACE), max_size=5)

# A date filter accepts ISO dates from 2000-01-01 to 2099-12-31 (catalogue forms.py).
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
VALID_DATE = st.dates(EARLIEST, LATEST)


def _impossible_date(parts):
    year, month, day = parts
    try:
        datetime.date(year, month, day)
    except ValueError:
        return True
    return False


# Each of these is refused by the date filters, whatever the written standard.
INVALID_DATE = st.one_of(
    st.dates(max_value=EARLIEST - datetime.timedelta(days=1)).map(datetime.date.isoformat),
    st.dates(min_value=LATEST + datetime.timedelta(days=1)).map(datetime.date.isoformat),
    st.tuples(st.integers(2000, 2099), st.integers(0, 99), st.integers(0, 99))
    .filter(_impossible_date)
    .map(lambda p: f"{p[0]:04d}-{p[1]:02d}-{p[2]:02d}"),
    st.builds(lambda d, junk: f"{junk}{d.isoformat()}", VALID_DATE, st.sampled_from("xÆ\x00/")),
    st.builds(lambda d: f"{d.isoformat()}T10:00", VALID_DATE),
    st.sampled_from(["tomorrow", "99999-01-01", "2026-9-1x", "-2026-01-01", "\x00", "1e309"]),
)


def one_of_except(strategy, refused):
    """Values of strategy that are none of refused (exact comparison, as ChoiceField makes)."""
    refused = set(refused)
    return strategy.filter(lambda value: value not in refused)


def query(pairs):
    """The query string of (name, value) pairs, percent-encoded as a browser does (UTF-8)."""
    return urlencode(pairs, quote_via=quote)


# Query strings no browser would build: broken and raw percent escapes, invalid UTF-8, stray
# separators, names without values.
RAW_QUERY_PIECE = st.one_of(
    st.sampled_from(
        [
            "%",
            "%2",
            "%zz",
            "%FF",
            "%C3",
            "%C3%28",
            "%ED%A0%80",
            "%F4%90%80%80",
            "%00",
            "&",
            "=",
            ";",
        ]
    ),
    st.text(st.characters(codec="ascii", exclude_characters="# "), max_size=12),
)
RAW_QUERY = st.lists(RAW_QUERY_PIECE, max_size=12).map("".join)


# What a person types into a form. Valid values, by construction: what a person could type,
# however odd.

NOT_NUL = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
NASTY_NOT_NUL = [piece for piece in NASTY if "\x00" not in piece]


def padded(strategy):
    return st.builds(lambda a, value, b: f"{a}{value}{b}", BLANK, strategy, BLANK)


# A CharField strips the value, then wants 1 to 200 characters and no NUL.
NAME = padded(
    st.one_of(
        st.text(NOT_NUL, min_size=1, max_size=200),
        st.lists(st.sampled_from(NASTY_NOT_NUL), min_size=1, max_size=8).map("".join),
        st.sampled_from(["Kari Nordmann", "Ola", "O'Brien-Ødegård", "Nguyễn Thị Minh Khai"]),
    ).filter(lambda name: name.strip() and len(name.strip()) <= 200)
)
MESSAGE = st.one_of(
    st.just(""),
    padded(st.text(NOT_NUL, max_size=300)),
    st.lists(st.sampled_from(NASTY_NOT_NUL), max_size=10).map("".join),
    LONG.filter(lambda text: "\x00" not in text),
)
ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
LOCAL = st.lists(st.text(ATEXT, min_size=1, max_size=10), min_size=1, max_size=3).map(".".join)
LABEL = st.one_of(
    st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True),
    st.sampled_from(["æøå", "bø", "sandnessjøen", "møre-og-romsdal"]),
)
DOMAIN = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(LABEL, min_size=1, max_size=3),
    st.sampled_from(["no", "com", "org", "museum", "NO"]),
)
EMAIL = padded(st.builds(lambda local, domain: f"{local}@{domain}", LOCAL, DOMAIN))
# 8 to 12 digits, spaces or hyphens anywhere between them, maybe after +47 (clean_phone).
PHONE = padded(
    st.builds(
        lambda prefix, digits, gaps, gap: (
            prefix + "".join(d + (gap if i in gaps else "") for i, d in enumerate(digits)).strip()
        ),
        st.sampled_from(["", "+47", "+47 ", "(+47) "]),
        st.text("0123456789", min_size=8, max_size=12),
        st.sets(st.integers(0, 10), max_size=4),
        st.sampled_from([" ", "-", " - "]),
    )
)
CONSENT_GIVEN = st.sampled_from(["on", "1", "true", "yes", "ja"])
CONSENT_REFUSED = st.sampled_from(["", "false", "False", "FALSE", "0", "off", "OFF", " 0 "])

# Refused values, by construction.
NAME_REFUSED = st.one_of(
    BLANK,
    st.builds(lambda a, b: f"{a}\x00{b}", NAME, st.text(NOT_NUL, max_size=5)),
    st.builds(
        lambda piece, n: (piece * n)[:n],
        st.sampled_from(["a", "Ø", "\U0001f600", "ab "]),
        st.integers(202, 20_000),
    ),
)
EMAIL_REFUSED = st.one_of(
    st.text(ANY_CHAR.filter(lambda c: c != "@"), min_size=1, max_size=30).filter(str.strip),
    st.sampled_from(
        [
            "kari",
            "kari@",
            "@example.no",
            "kari@example",
            "kari@@example.no",
            "kari@example..no",
            "kari@exa mple.no",
            "kåri@example.no",
            "kari@-example.no",
            "kari@example.no\x00",
            "kari@example.no>",
            "<kari@example.no>",
            "kari@example.no, ola@example.no",
            "kari@example.no\nBcc: ola@example.no",
        ]
    ),
    st.builds(lambda n: "a" * n + "@example.no", st.integers(250, 20_000)),
)
PHONE_REFUSED = st.one_of(
    st.text("0123456789", min_size=1, max_size=7),
    st.text("0123456789", min_size=13, max_size=60),
    st.builds(
        lambda d, x: d[:4] + x + d[4:],
        st.text("0123456789", min_size=8, max_size=12),
        # Other scripts' digits too: "١" (Arabic-Indic), "５" (fullwidth), "߁" (N'Ko).
        st.sampled_from(["a", "\x00", "\t", ".", "O", "/", "١", "５", "߁"]),
    ),
    st.sampled_from(
        ["+47", "+", "+4755555555x", "55 55 55 5x", "tlf 55555555", "+46 555 55 555 5555"]
    ),
)


def repeated_pairs(data, fields):
    """Pairs to post: each field maybe repeated with junk before it (the last value counts);
    a field whose value is None is left out."""
    pairs = []
    for name, value in fields.items():
        if value is None:
            continue
        for earlier in data.draw(st.lists(hostile_text(), max_size=2), label=f"{name} repeats"):
            pairs.append((name, earlier))
        pairs.append((name, value))
    return pairs
