"""Signed links that open one row for one purpose, with no login.

A token is the row's primary key signed with SECRET_KEY under a salt of its own per purpose, so
it cannot be made for another row, one purpose's link does not open another's, and no other
signed value of the site is accepted as one. It is `<pk>-<signature>`, or `<pk>-<time>-<signature>`
for a link that expires: Wagtail's page URLs allow only word characters and hyphens, and the
signature may hold hyphens itself.
"""

from django.core import signing


def _signer(salt, expires):
    return signing.TimestampSigner(salt=salt) if expires else signing.Signer(salt=salt)


def make(pk, salt, expires=False):
    """The token of pk; with expires, it carries its time, for read() to check its age."""
    return _signer(salt, expires).sign(str(pk)).replace(":", "-", 2 if expires else 1)


def read(token, salt, max_age=None):
    """The primary key token was made for, or None for a forged or damaged token, and for one
    older than max_age (a timedelta) when given."""
    expires = max_age is not None
    parts = token.split("-", 2 if expires else 1)
    if not parts[0].isdigit() or len(parts) != (3 if expires else 2) or not parts[-1]:
        return None
    signed = ":".join(parts)
    try:
        if expires:
            return int(_signer(salt, expires).unsign(signed, max_age=max_age))
        return int(_signer(salt, expires).unsign(signed))
    except (signing.BadSignature, ValueError):
        return None
