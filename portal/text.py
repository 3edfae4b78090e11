"""Text helpers for Norwegian content."""

from django.utils.text import slugify

# Unicode normalisation leaves these letters whole, so slugify would drop them ("verkty").
NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def transliterate(text):
    """text with æ, ø and å spelt in ASCII, as Norwegians write them in web addresses."""
    return text.translate(NORWEGIAN_LETTERS)


def slugify_nb(text):
    """A slug for a Norwegian title: «Digitale verktøy» -> "digitale-verktoy"."""
    return slugify(transliterate(text))


def search_terms(q):
    """q as words for Wagtail's search: a stray " ends SQLite FTS5's quoted term early
    (wagtail/wagtail#13227), and no index keeps one."""
    return " ".join(q.replace('"', " ").split())
