"""The unit's criteria and record templates, changed by its administrator (issue 5)."""

import pytest

from painrehab.accounts.models import Membership, User
from painrehab.pathway import criteria as rules
from painrehab.steps.investigation.services import save_investigation_record

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_unit_administrator_changes_the_criteria_as_a_new_version(
    client_for, coordinator, physician
):
    import json

    from painrehab.pathway.models import CriteriaSet

    current = [c.to_dict() for c in rules.KRT_CRITERIA]
    current[2]["params"] = {"minimum": 18, "maximum": 65}
    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/", {"criteria": json.dumps(current)}
    )
    assert response.status_code == 302
    saved = CriteriaSet.objects.get()
    assert (saved.version, saved.criteria[2]["params"]) == (
        1,
        {"minimum": 18, "maximum": 65},
    )
    assert client_for(physician).get("/vardforlopp/kriterier/krt/").status_code == 403


def _criteria_rows(criteria) -> dict[str, str]:  # noqa: ANN001
    """The criteria page's form as posted unchanged, one row per criterion."""
    data = {"rows": str(len(criteria))}
    for i, c in enumerate(criteria):
        data |= {
            f"c-{i}-key": c.key,
            f"c-{i}-rule": c.rule or "",
            f"c-{i}-source": c.source,
            f"c-{i}-text_sv": c.text_sv,
            f"c-{i}-text_en": c.text_en,
            f"c-{i}-kind": str(c.kind),
            f"c-{i}-discharge_reason": c.discharge_reason,
            **({f"c-{i}-checked": "1"} if c.checked_at_assessment else {}),
            **{f"c-{i}-param-{k}": str(v) for k, v in c.params.items()},
        }
    return data


def test_the_criteria_page_reads_as_sentences_not_as_data(client_for, coordinator):
    html = client_for(coordinator).get("/vardforlopp/kriterier/krt/").content.decode()
    assert "Ålder 18–67 år på konferensdagen, enligt personnumret" in html
    assert "Teamet, vid konferensen" in html
    # The rule's key and the source stay in hidden fields, never shown.
    for code in ["age_between {", "{&#x27;minimum", '"rule":', ">seed 2"]:
        assert code not in html


def test_the_unit_administrator_changes_a_value_adds_and_removes_in_the_form(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    age = next(i for i, c in enumerate(current) if c.rule == "age_between")
    data = _criteria_rows(current)
    data[f"c-{age}-param-maximum"] = "65"
    data["c-0-remove"] = "1"
    new = len(current)
    data |= {
        f"c-{new}-text_sv": "Kunna delta i gruppsamtal på svenska.",
        f"c-{new}-text_en": "Can take part in group talks in Swedish.",
        f"c-{new}-kind": "inclusion",
        f"c-{new}-checked": "1",
    }
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    assert response.status_code == 302
    saved = {c["key"]: c for c in CriteriaSet.objects.get().criteria}
    assert saved[current[age].key]["params"] == {"minimum": 18, "maximum": 65}
    assert current[0].key not in saved
    added = saved["can_take_part_in_group_talks_in_swedish"]
    assert (added["rule"], added["kind"], added["checked_at_assessment"]) == (
        None,
        "inclusion",
        True,
    )


def test_broken_criteria_are_refused_and_the_text_is_kept(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    age = next(i for i, c in enumerate(current) if c.rule == "age_between")
    data = _criteria_rows(current)
    data[f"c-{age}-param-maximum"] = "sextiofem"
    data["c-1-text_sv"] = "Min ändrade text"
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ange ett heltal för varje värde." in _fieldset(html, age)
    assert 'value="sextiofem"' in _fieldset(html, age)
    assert "Min ändrade text" in html
    assert CriteriaSet.objects.count() == 0


def test_an_age_rule_with_the_lowest_age_above_the_highest_is_a_problem():
    assert "lägsta åldern" in rules.params_problem(
        "age_between", {"minimum": 18, "maximum": 10}
    )
    assert rules.params_problem("age_between", {"minimum": 18, "maximum": 18}) == ""
    assert rules.params_problem("pain_longer_than_months", {"months": -1}) != ""
    assert rules.params_problem("pain_longer_than_months", {"months": 6}) == ""
    assert rules.params_problem(None, {}) == ""


def test_an_impossible_age_rule_is_refused_beside_its_fields(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    age = next(i for i, c in enumerate(current) if c.rule == "age_between")
    data = _criteria_rows(current)
    data[f"c-{age}-param-maximum"] = "10"
    data["c-1-text_sv"] = "Min ändrade text"
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    fieldset = html.split(f'name="c-{age}-param-maximum"')[1].split("</fieldset>")[0]
    assert "Den lägsta åldern är högre än den högsta." in fieldset
    assert "Ålder 18–10 år" not in html
    assert 'value="10"' in html.split(f'name="c-{age}-param-maximum"')[1][:40]
    assert "Min ändrade text" in html
    assert CriteriaSet.objects.count() == 0


def test_an_impossible_age_rule_posted_as_data_is_refused(client_for, coordinator):
    import json

    from painrehab.pathway.models import CriteriaSet

    current = [c.to_dict() for c in rules.KRT_CRITERIA]
    age = next(i for i, c in enumerate(current) if c["rule"] == "age_between")
    current[age]["params"] = {"minimum": 18, "maximum": 10}
    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/", {"criteria": json.dumps(current)}
    )
    assert response.status_code == 400
    assert "Den lägsta åldern är högre än den högsta." in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_criteria_posted_as_data_are_still_checked(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/",
        {"criteria": '[{"key": "x", "kind": "nonsense"}]'},
    )
    assert response.status_code == 400
    assert "kunde inte sparas" in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_record_template_changes_apply_to_new_records(
    client_for, coordinator, investigated, unit_a
):
    from painrehab.pathway.models import InvestigationRecord

    client_for(coordinator).post(
        "/vardforlopp/journalmall/physician/", {"labels": "Anamnes\nStatus\n"}
    )
    physician = Membership.objects.create(
        user=User.objects.create_user(username="dr2", password="x-password-123"),
        unit=unit_a,
        profession="physician",
    )
    save_investigation_record(
        by=physician,
        episode=investigated,
        values={"field_1": "A", "field_2": "S"},
        expected_version=None,
    )
    record = InvestigationRecord.objects.get()
    assert record.template_version == "v1"
    assert record.rows == [("Anamnes", "A"), ("Status", "S")]


def test_a_post_with_no_criteria_saves_nothing(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/", {"rows": "0"}
    )
    assert response.status_code == 400
    assert "Behåll minst ett kriterium" in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_the_criteria_page_links_to_each_template(client_for, coordinator):
    html = client_for(coordinator).get("/vardforlopp/kriterier/krt/").content.decode()
    assert 'href="/vardforlopp/kriterier/specialist/"' in html
    assert 'href="/vardforlopp/kriterier/krt/" aria-current="page"' in html


def test_a_record_template_without_fields_is_refused_and_the_text_stays(
    client_for, coordinator
):
    from painrehab.pathway.models import InvestigationTemplate

    response = client_for(coordinator).post(
        "/vardforlopp/journalmall/physician/", {"labels": "  \n\t\n"}
    )
    html = response.content.decode()
    assert "Ange minst ett fält." in html
    assert "  \n\t\n</textarea>" in html  # what was typed stays
    assert InvestigationTemplate.objects.count() == 0


def _fieldset(html: str, i: int) -> str:
    """The criteria form's row `i`, from its first field to the end of its fieldset."""
    return html.split(f'name="c-{i}-key"')[1].split("</fieldset>")[0]


def test_an_emptied_text_is_refused_beside_its_row_and_nothing_typed_is_lost(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    data = _criteria_rows(current)
    data["c-2-text_sv"] = "   "  # cleared, the remove box left alone
    data["c-1-text_sv"] = "Min ändrade text"
    new = len(current)
    data |= {
        f"c-{new}-text_sv": "Kunna delta i gruppsamtal på svenska.",
        f"c-{new}-kind": "inclusion",
    }
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert CriteriaSet.objects.count() == 0  # nothing deleted, nothing saved
    emptied = _fieldset(html, 2)
    assert (
        "Skriv kriteriets text på svenska, eller kryssa i ”Ta bort kriteriet”."
        in emptied
    )
    assert f'value="{current[2].key}"' in emptied  # still the same criterion
    assert current[2].text_en in emptied
    assert 'aria-invalid="true"' in emptied
    assert "Min ändrade text" in _fieldset(html, 1)
    assert "Kunna delta i gruppsamtal på svenska." in _fieldset(html, new)
    for i in set(range(new + 1)) - {2}:
        assert 'class="error"' not in _fieldset(html, i)
    assert html.count(" autofocus") == 1  # the page opens at the field to correct
    assert " autofocus" in emptied.split("</textarea>")[0]


def test_a_new_criterion_with_only_english_text_is_refused_not_dropped(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    data = _criteria_rows(current)
    new = len(current)
    data |= {
        f"c-{new}-text_en": "Can take part in group talks in Swedish.",
        f"c-{new}-kind": "inclusion",
    }
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert CriteriaSet.objects.count() == 0
    row = _fieldset(html, new)
    assert "Skriv kriteriets text på svenska." in row
    assert "Can take part in group talks in Swedish." in row


def test_a_criterion_ticked_for_removal_stays_ticked_when_another_row_is_refused(
    client_for, coordinator
):
    current = list(rules.KRT_CRITERIA)
    data = _criteria_rows(current)
    data["c-0-remove"] = "1"
    data["c-2-text_sv"] = ""
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    first = _fieldset(html, 0)
    assert current[0].text_sv in first
    assert 'name="c-0-remove" value="1" checked' in first


def test_a_row_error_is_shown_beside_the_row_only(client_for, coordinator):
    current = list(rules.KRT_CRITERIA)
    age = next(i for i, c in enumerate(current) if c.rule == "age_between")
    data = _criteria_rows(current)
    data[f"c-{age}-param-maximum"] = "10"
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Den lägsta åldern är högre än den högsta.") == 1
    assert "Den lägsta åldern är högre än den högsta." in _fieldset(html, age)
    assert "kunde inte sparas" not in html
    assert 'class="error box"' not in html


def test_the_service_keeps_at_least_one_criterion(coordinator):
    from painrehab.pathway.models import CriteriaSet
    from painrehab.steps.conference.services import save_criteria_set

    with pytest.raises(ValueError, match="Behåll minst ett kriterium."):
        save_criteria_set(by=coordinator, template="krt", criteria=[])
    assert CriteriaSet.objects.count() == 0


def test_removing_every_criterion_is_refused_and_every_tick_stays(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    data = _criteria_rows(current)
    data |= {f"c-{i}-remove": "1" for i in range(len(current))}
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kriterierna kunde inte sparas: Behåll minst ett kriterium." in html
    for i in range(len(current)):
        assert f'name="c-{i}-remove" value="1" checked' in _fieldset(html, i)
    assert CriteriaSet.objects.count() == 0


def test_a_criterion_ticked_for_removal_is_removed_even_with_its_text_emptied(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    data = _criteria_rows(current) | {"c-0-remove": "1", "c-0-text_sv": ""}
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    assert response.status_code == 302
    saved = [c["key"] for c in CriteriaSet.objects.get().criteria]
    assert saved == [c.key for c in current[1:]]


def test_a_kind_that_is_none_of_the_list_is_refused_beside_its_row(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    data = _criteria_rows(current) | {"c-1-kind": "nonsense"}
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    assert response.status_code == 400
    assert "Välj typ av kriterium." in _fieldset(response.content.decode(), 1)
    assert CriteriaSet.objects.count() == 0
