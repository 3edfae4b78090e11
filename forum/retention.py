"""How long the forum keeps personal data (see portal.retention)."""

from portal.retention import not_personal

not_personal(
    "forum.ForumMember",
    "which municipality or organisation a staff user represents; it goes with the user account",
)
not_personal(
    "forum.Need",
    "a municipality's need for training; the form asks for no personal details in it",
)
