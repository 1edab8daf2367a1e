"""Markup typed into any staff form is stored as text and shown escaped everywhere.

Every form is sent once with plausible values and every free-text field set to
a payload; the pages of the unit (and the patient's form by link, which shows
licensed item texts staff typed) are then rendered and searched for the raw
markup.
"""

from datetime import date

from django.apps import apps
from django.db import models

from painrehab.accounts.tests.test_access_walk import _member_with
from painrehab.core.personnummer import tax_agency_test_number
from tests.fuzz import harness
from tests.fuzz.pages import endpoints, staff_pages

PAYLOADS = [harness.SCRIPT, harness.ATTRIBUTE, harness.IMAGE]
# Fields a form checks for shape; the payload goes into the free text instead.
NOT_FREE_TEXT = {"version", "form", "action", "go", "status", "criteria", "labels"}
VALID = {
    "personnummer": tax_agency_test_number(born=date(1990, 3, 3), female=True),
    "postal_code": "111 22",
    "email": "patient@example.com",
    "phone": "070-174 06 07",
}


def _stored_payloads() -> int:
    """Rows of any model with a payload in a text column."""
    found = 0
    for model in apps.get_models():
        text = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and f.concrete
        ]
        for name in text:
            found += model._default_manager.filter(
                **{f"{name}__contains": "alert("}
            ).count()
    return found


def test_stored_markup_is_shown_escaped_on_every_page(
    client, own_unit_objects, members_of_unit_a, coordinator, episode_a
):
    from painrehab.questionnaires.models import QuestionnaireRequest
    from painrehab.questionnaires.services import renew_link

    def login(page) -> None:  # noqa: ANN001
        client.force_login(_member_with(members_of_unit_a, page.permission).user)

    pages = list(staff_pages(own_unit_objects))
    accepted = 0
    for i, endpoint in enumerate(
        e for e in endpoints(client, pages, login) if e.method == "post"
    ):
        login(endpoint.page)
        values = harness.plausible(
            harness.Form("post", "", endpoint.fields, endpoint.kinds)
        )
        for name, kind in endpoint.kinds.items():
            if name in VALID:
                values[name] = VALID[name]
            elif (
                kind in {"text", "textarea"}
                and name not in NOT_FREE_TEXT
                and not endpoint.fields[name][1:]
            ):
                values[name] = f"{name} {PAYLOADS[i % len(PAYLOADS)]}"
        outcome = harness.send(client, "post", endpoint.page.path, values)
        harness.TRIED["stored markup post"] += 1
        assert outcome.status < 500, (endpoint.page.name, outcome.error)
        accepted += outcome.status == 302
    stored = _stored_payloads()
    assert stored >= 10, (accepted, stored)

    shown: list[str] = []
    for page in pages:
        login(page)
        outcome = harness.send(client, "get", page.path, {})
        harness.TRIED["stored markup page"] += 1
        shown += [f"{page.name}: {m}" for m in harness.unescaped_markup(outcome)]
    # The discharge form above closed the episode's requests; expire this one
    # instead so a new link can show the patient's pages.
    QuestionnaireRequest.objects.filter(pk=own_unit_objects["request_id"]).update(
        status=QuestionnaireRequest.Status.EXPIRED
    )
    sent = renew_link(
        by=coordinator,
        questionnaire_request=QuestionnaireRequest.objects.get(
            pk=own_unit_objects["request_id"]
        ),
    )
    client.logout()
    assert client.post(f"/f/{sent.token}/", {"value": "19850101"}).status_code == 302
    for number in range(1, len(sent.request.codes) + 2):
        outcome = harness.send(client, "get", "/f/svar/", {"sida": str(number)})
        harness.TRIED["stored markup page"] += 1
        shown += [
            f"patient form page {number}: {m}"
            for m in harness.unescaped_markup(outcome)
        ]
    assert shown == []
