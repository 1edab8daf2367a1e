import pytest
from django.core.exceptions import ValidationError

from painrehab.core.forms import IdsField


@pytest.mark.parametrize("bad", [str(2**63), "-1", "1.5", "²", "abc"])
def test_ids_field_refuses_what_no_row_can_have_before_querying(
    bad, coordinator, django_assert_num_queries
):
    from painrehab.accounts.models import User

    field = IdsField(queryset=User.objects.all())
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean([bad])
    assert refused.value.messages == [f"“{bad}” är inte ett giltigt värde."]


def test_ids_field_accepts_existing_ids(coordinator):
    from painrehab.accounts.models import User

    field = IdsField(queryset=User.objects.all())
    assert list(field.clean([str(coordinator.user_id)])) == [coordinator.user]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"go": "back"}, "back"),
        ({"go": "skip"}, "skip"),
        ({}, "next"),  # Enter presses the first button: the usual choice
        ({"go": ""}, "next"),
        ({"go": "Back"}, "next"),
        ({"go": "1" * 5000}, "next"),
        ({"go": "ä"}, "next"),
    ],
)
def test_a_button_value_that_is_none_of_the_pages_is_the_usual_choice(data, expected):
    from painrehab.core.forms import ButtonForm

    form = ButtonForm(data, buttons=["back", "next", "skip"], name="go", default="next")
    assert form.pressed() == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"finalise": "1"}, "finalise"),
        ({"finalise": ""}, "finalise"),  # a button sends its name, any value
        ({"finalise": "ä" * 300, "save": "1"}, "finalise"),  # the first named
        ({"save": "1"}, "save"),
        ({"body": "finalise"}, ""),  # a field's value names no button
        ({}, ""),
    ],
)
def test_a_button_with_a_name_of_its_own_is_pressed_when_its_name_is_sent(
    data, expected
):
    from painrehab.core.forms import ButtonForm

    assert ButtonForm(data, buttons=["finalise", "save"]).pressed() == expected


@pytest.mark.parametrize("bad", ["9" * 30, "1" * 5000, "-1", "0", "1.5", "²", "abc"])
def test_an_id_list_refuses_what_no_row_can_have(bad):
    from painrehab.core.forms import IdListField

    with pytest.raises(ValidationError) as refused:
        IdListField().clean(["12", bad])
    [message] = refused.value.messages
    assert message.endswith("är inte ett giltigt värde.")
    assert len(message) < 60  # a long value is cut short
    assert IdListField().clean(["12", "7"]) == [12, 7]
    assert IdListField(required=False).clean([]) == []


@pytest.mark.parametrize(
    "text", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"]
)
def test_a_day_field_refuses_years_a_page_cannot_show(text):
    from painrehab.core.forms import DayField

    with pytest.raises(ValidationError) as refused:
        DayField().clean(text)
    assert refused.value.messages == ["Fyll i ett datum mellan år 1900 och 2999."]
    assert DayField().clean("2999-12-31").year == 2999


def test_chosen_filters_are_the_cleaned_choices_as_address_parameters():
    from datetime import date

    from django import forms

    from painrehab.core.forms import chosen_filters

    class Filters(forms.Form):
        who = forms.CharField(required=False)
        since = forms.DateField(required=False)
        until = forms.DateField(required=False)
        count = forms.IntegerField(required=False)

    typed = {"who": "  Anna ", "since": "2026-03-01", "until": "", "count": "0"}
    assert chosen_filters(Filters(typed)) == {
        "who": "Anna",
        "since": date(2026, 3, 1).isoformat(),
        "count": "0",
    }
    assert chosen_filters(Filters({"since": "inte ett datum", "who": "Anna"})) == {}


def test_page_links_keep_the_filters_and_name_the_page_once():
    from urllib.parse import parse_qs

    from django.core.paginator import Paginator

    from painrehab.core.forms import page_links

    pages = Paginator(range(25), 10)
    first = page_links(pages.page(1), {"user": "7", "page": "3"})
    assert first.previous == ""
    assert parse_qs(first.next[1:]) == {"user": ["7"], "page": ["2"]}
    last = page_links(pages.page(3), {"start": "2026-03-01"})
    assert parse_qs(last.previous[1:]) == {"start": ["2026-03-01"], "page": ["2"]}
    assert last.next == ""
