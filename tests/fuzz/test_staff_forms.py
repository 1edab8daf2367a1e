"""Bad input into every staff form, htmx endpoint and list filter.

The forms are read from the pages of unit A and from the views' source
(tests/fuzz/pages.py), so a new form is fuzzed without being listed here.
Each example keeps the plausible value of most fields and replaces one to
three of them by a bad value (harness.BAD_VALUES), by another unit's id or an
unknown one, or leaves them out. Asserted for every response: no server error,
no payload markup shown unescaped, every error message in Swedish.
"""

from hypothesis import given
from hypothesis import strategies as st

from painrehab.accounts.tests.test_access_walk import _member_with
from tests.fuzz import harness
from tests.fuzz.pages import Endpoint, endpoints, staff_pages


def _foreign_ids(other_unit_objects: dict) -> list[str]:
    """Other units' ids and ids that exist nowhere."""
    ids = {str(make()) for make in other_unit_objects.values()}
    return sorted(ids | {"0", "999999", str(2**31), str(2**63), "-1"})


def _example(endpoint: Endpoint, foreign_ids: list[str]) -> st.SearchStrategy:
    names = sorted(endpoint.fields)
    change = st.one_of(
        harness.bad_input(),
        st.tuples(st.just("other_unit_id"), st.sampled_from(foreign_ids)),
        st.just(("missing", "")),
    )
    targets = (
        st.lists(
            st.sampled_from(names), min_size=1, max_size=min(3, len(names)), unique=True
        )
        if names
        else st.just([])
    )
    return targets.flatmap(
        lambda chosen: st.tuples(
            st.just(chosen),
            st.lists(change, min_size=len(chosen), max_size=len(chosen)),
        )
    )


def _values(endpoint: Endpoint, chosen: list[str], changes: list[tuple[str, str]]):  # noqa: ANN202
    values = harness.plausible(
        harness.Form(endpoint.method, "", endpoint.fields, endpoint.kinds)
    )
    kinds = []
    for name, (kind, value) in zip(chosen, changes, strict=True):
        kinds.append(kind)
        if kind == "missing":
            values.pop(name, None)
        else:
            values[name] = value
    return values, kinds


def _fuzz(client, endpoint: Endpoint, foreign_ids, profile, failures, english) -> None:  # noqa: ANN001, E501
    @profile
    @given(example=_example(endpoint, foreign_ids))
    def one(example) -> None:  # noqa: ANN001
        values, kinds = _values(endpoint, *example)
        outcome = harness.send(client, endpoint.method, endpoint.page.path, values)
        harness.TRIED[f"staff {endpoint.method}"] += 1
        for kind in kinds:
            harness.TRIED[f"value: {kind}"] += 1
        where = f"{endpoint.method.upper()} {endpoint.page.name} {sorted(set(kinds))}"
        if outcome.status >= 500:
            failures.append(f"{where}: {outcome.status} {outcome.error}")
        if shown := harness.unescaped_markup(outcome):
            failures.append(f"{where}: shows {shown} unescaped")
        for message in harness.error_messages(outcome):
            if harness.english_words(message, values):
                english.add(f"{endpoint.page.name}: {message[:120]}")

    one()


def test_no_staff_form_or_filter_gives_a_server_error_or_shows_markup(
    client, own_unit_objects, other_unit_objects, members_of_unit_a, fuzz_profile
):
    def login(page) -> None:  # noqa: ANN001
        client.force_login(_member_with(members_of_unit_a, page.permission).user)

    found = endpoints(client, list(staff_pages(own_unit_objects)), login)
    foreign_ids = _foreign_ids(other_unit_objects)
    failures: list[str] = []
    english: set[str] = set()
    for endpoint in found:
        login(endpoint.page)
        _fuzz(client, endpoint, foreign_ids, fuzz_profile, failures, english)
    harness.report_failures("staff", failures)
    assert len(found) >= 60, [f"{e.method} {e.page.name}" for e in found]
    assert "\n".join(failures) == ""
    assert sorted(english) == []
