"""The library answers any filter values with its page: a value it cannot use is named in the
error summary and left out, never a server error."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import hostile_text, query

pytestmark = pytest.mark.django_db

FACETS = ("category", "format", "audience", "licence", "language")
VALID = {
    "category": ["helse", "leiing"],
    "format": ["video", "scorm"],
    "audience": ["tilsette", "leiarar"],
    "licence": ["members", "cc-by-4.0"],
    "language": ["nb", "nn"],
}
PAIRS = st.lists(
    st.sampled_from([*FACETS, "page"]).flatmap(
        lambda name: st.tuples(
            st.just(name), st.one_of(st.sampled_from(VALID.get(name, ["2"])), hostile_text())
        )
    ),
    max_size=6,
)


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pairs=PAIRS)
def test_library_answers_any_filters_and_names_those_it_cannot_use(client, pairs):
    response = client.get(f"/nb/e-laeringsressurser/?{query(pairs)}")
    assert response.status_code == 200
    html = response.text
    # A repeated parameter counts by its last value, as Django's QueryDict.get has it.
    last = dict(pairs)
    # A choice is taken as sent: even whitespace is a value no option has.
    refused = [name for name in FACETS if last.get(name, "") not in ("", *VALID[name])]
    summary = html.partition('class="ds-error-summary"')[2].partition("</div>")[0]
    for name in refused:
        assert f'href="#id_{name}"' in summary, name
    if not refused:
        assert not summary
    assert re.search(r"\d+ ressurs(er)?</h2>", html)
