"""Which models hold personal data, and how long: the rules `purge_personal_data` applies.

Every app registers the rules of its models with personal data from its own `retention` module
(imported by its AppConfig.ready). A test fails when a model has a personal-data field but
neither a rule nor a reason given to `not_personal`.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

RULES = []

# Models with fields that look personal but are not a person's data, with the reason.
NOT_PERSONAL = {"portal.SiteSettings": "the organisation's public contact details"}


def not_personal(model, reason):
    NOT_PERSONAL[model] = reason


@dataclass
class RetentionRule:
    """Rows of `model` (an app label) that `due(now)` selects are made anonymous by
    `anonymise(queryset, now)`."""

    model: str
    description: str
    due: Any
    anonymise: Any


def register(rule):
    RULES.append(rule)
    return rule


def purge(now=None, progress=None):
    """Apply every rule; returns [(rule, rows anonymised)]."""
    now = now or timezone.now()
    results = []
    for rule in RULES:
        count = rule.anonymise(rule.due(now), now)
        results.append((rule, count))
        if progress:
            progress(rule, count)
    return results
