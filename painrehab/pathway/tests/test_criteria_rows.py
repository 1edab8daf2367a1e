"""Reading the criteria page's rows (pathway.forms.criteria_from_rows): no database."""

from painrehab.pathway.forms import CriteriaForm, criteria_from_rows


def _row(i: int, text_sv: str, **fields: str) -> dict[str, str]:
    return {
        f"c-{i}-text_sv": text_sv,
        f"c-{i}-kind": "inclusion",
        **{f"c-{i}-{name}": value for name, value in fields.items()},
    }


def test_an_emptied_row_is_a_problem_and_not_a_deletion():
    data = _row(0, "Smärta mer än 3 månader", key="pain") | _row(1, "  ", key="age")
    rows = criteria_from_rows(data, count=2)
    assert [(r["key"], r["remove"]) for r in rows] == [("pain", False), ("age", False)]
    assert rows[0]["problems"] == {}
    assert set(rows[1]["problems"]) == {"text_sv"}


def test_only_a_ticked_row_is_deleted_whatever_its_text():
    data = _row(0, "", key="pain", remove="1") | _row(1, "Ålder", key="age")
    rows = criteria_from_rows(data, count=2)
    assert [(r["key"], r["remove"], r["problems"]) for r in rows] == [
        ("pain", True, {}),
        ("age", False, {}),
    ]
    form = CriteriaForm(data | {"rows": "2"})
    assert form.is_valid()
    assert [c["key"] for c in form.cleaned_data["criteria"]] == ["age"]
    assert "remove" not in form.cleaned_data["criteria"][0]


def test_the_empty_new_row_is_left_out_but_a_new_row_with_english_only_is_not():
    assert criteria_from_rows(_row(0, ""), count=0) == []
    rows = criteria_from_rows(_row(0, "", text_en="Age 18 to 67"), count=0)
    assert [(r["text_en"], set(r["problems"])) for r in rows] == [
        ("Age 18 to 67", {"text_sv"})
    ]


def test_rule_values_are_kept_as_typed_with_their_problem():
    data = _row(
        0, "Ålder", key="age", rule="age_between", **{"param-minimum": "18"}
    ) | {"c-0-param-maximum": "sextiofem"}
    (row,) = criteria_from_rows(data, count=1)
    assert row["params"] == {"minimum": 18, "maximum": "sextiofem"}
    assert set(row["problems"]) == {"params"}


def test_a_form_with_a_row_problem_is_not_valid_and_has_no_error_of_its_own():
    form = CriteriaForm(_row(0, "", key="pain") | {"rows": "1"})
    assert form.is_valid() is False
    assert form.non_field_errors() == []
    assert [set(r["problems"]) for r in form.rows_as_typed()] == [{"text_sv"}]
