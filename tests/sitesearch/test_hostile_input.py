"""Any query string the search may be sent answers a page, never a server error (the fuzz
tests' strategies and surface, tests/fuzz/)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import LONG, NUMBERISH, RAW_QUERY, hostile_text, query
from tests.fuzz.surface import Surface

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning"),
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WORDS = st.one_of(hostile_text(), st.sampled_from(["Bergen", "kurs", "rettleiing", "leiar"]))
NAMES = st.sampled_from(["q", "type", "page"])


@SETTINGS
@given(
    language=st.sampled_from(["nb", "nn"]),
    pairs=st.lists(
        st.one_of(
            st.tuples(st.just("q"), WORDS),
            st.tuples(st.just("type"), st.one_of(hostile_text(), st.just("coursepage"))),
            st.tuples(st.just("page"), NUMBERISH),
            st.tuples(NAMES, LONG),
        ),
        max_size=4,
    ),
)
def test_search_answers_any_query(client, language, pairs):
    response = Surface(client).get(f"/{language}/sok/?{query(pairs)}", endpoint="site search")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


@SETTINGS
@given(language=st.sampled_from(["nb", "nn"]), raw=RAW_QUERY)
def test_search_answers_a_query_no_browser_would_build(client, language, raw):
    response = Surface(client).get(f"/{language}/sok/?{raw}", endpoint="site search")
    assert response.status_code == 200


def test_a_hostile_query_is_refused_with_a_message_not_searched(client):
    for value in ["\x00kurs", "kurs" * 2500]:
        response = client.get("/nb/sok/", {"q": value})
        assert response.status_code == 200
        assert 'class="ds-error-summary"' in response.text
        assert "search-hit" not in response.text
