"""The rehabilitation plan, its goals, signing and the copy to Försäkringskassan (issue 5)."""

from datetime import timedelta

import pytest

from painrehab.core.history import StaleEdit
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway.models import (
    Episode,
    GoalEvaluation,
    RehabPlan,
)
from painrehab.pathway.states import State, TransitionRefused
from painrehab.steps.plan.services import (
    add_goal,
    evaluate_goal,
    sign_rehab_plan,
    update_plan,
)
from painrehab.steps.tests.fixtures import _today

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _stored(pdf: bytes | memoryview | None) -> bytes:
    """A stored PDF field's bytes; the test fails if none is stored."""
    assert pdf is not None
    return bytes(pdf)


def test_signed_plan_moves_to_preparation_and_drafts_the_copy_to_forsakringskassan(
    planned, physician
):
    with pytest.raises(TransitionRefused, match="minst ett mål"):
        sign_rehab_plan(
            by=physician,
            plan=planned,
            expected_version=1,
            signed_on=_today(),
            signature="paper",
            consent_to_forsakringskassan=True,
        )
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=_today() + timedelta(days=60),
    )
    plan, letters, _ = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=_today(),
        signature="tablet",
        consent_to_forsakringskassan=True,
    )
    assert Episode.objects.get(pk=plan.episode_id).state == State.PREPARATION
    assert [letter.kind for letter in letters] == [LetterKind.PLAN_COPY_FK]
    assert letters[0].recipient_name == "Försäkringskassan"
    assert "Gå 30 minuter" in letters[0].body
    with pytest.raises(TransitionRefused):
        update_plan(
            by=physician,
            plan=RehabPlan.objects.get(pk=plan.pk),
            expected_version=plan.version,
            values="ändrat",
        )


def test_without_consent_no_copy_is_drafted(planned, physician):
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Sömn",
        measure="ISI",
        target_date=_today() + timedelta(days=30),
    )
    _plan, letters, _ = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=_today(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    assert letters == []


def test_plan_edits_are_version_checked(planned, physician, coordinator):
    update_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=planned.pk),
        expected_version=1,
        values="Familjen",
    )
    with pytest.raises(StaleEdit):
        update_plan(
            by=coordinator,
            plan=RehabPlan.objects.get(pk=planned.pk),
            expected_version=1,
            values="Arbete",
        )


def test_goal_is_evaluated_once_per_time(planned, physician):
    goal = add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="x",
        measure="y",
        target_date=_today(),
    )
    evaluate_goal(
        by=physician,
        goal=goal,
        when="programme_end",
        result="partly_met",
        comment="Nästan",
    )
    with pytest.raises(TransitionRefused):
        evaluate_goal(by=physician, goal=goal, when="programme_end", result="met")
    evaluate_goal(by=physician, goal=goal, when="follow_up", result="met")
    assert list(
        GoalEvaluation.objects.filter(goal=goal).values_list("when", "result")
    ) == [("programme_end", "partly_met"), ("follow_up", "met")]


def test_the_signed_plan_is_kept_as_signed_when_a_goal_is_added_later(
    planned, physician, client_for
):
    import hashlib
    import io

    from pypdf import PdfReader

    def text(pdf: bytes) -> str:
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages
        )

    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=_today() + timedelta(days=60),
    )
    client = client_for(physician)
    draft = client.get(f"/vardforlopp/{planned.episode_id}/plan/pdf/").content
    assert "Utkast – ännu inte undertecknad" in text(draft)
    plan, _letters, _problems = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=_today(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    signed = client.get(f"/vardforlopp/{planned.episode_id}/plan/pdf/").content
    # Found walking the pathway: the PDF was rebuilt on every download, so a
    # goal added after signing appeared in the "signed" plan.
    add_goal(
        by=physician,
        plan=RehabPlan.objects.get(pk=plan.pk),
        profession="physician",
        owner=physician.user,
        description="Tillagt efter underskriften",
        measure="självskattning",
        target_date=_today() + timedelta(days=30),
    )
    later = client.get(f"/vardforlopp/{planned.episode_id}/plan/pdf/").content
    assert later == signed
    assert "Gå 30 minuter" in text(later)
    assert "Tillagt efter underskriften" not in text(later)
    stored = RehabPlan.objects.get(pk=plan.pk)
    assert stored.signed_sha256 == hashlib.sha256(later).hexdigest()


def test_a_goal_is_owned_by_someone_of_its_profession(planned, physician):
    with pytest.raises(TransitionRefused, match="målets yrkesroll"):
        add_goal(
            by=physician,
            plan=planned,
            profession="physiotherapist",
            owner=physician.user,
            description="Gå 30 minuter",
            measure="minuter per dag",
            target_date=_today() + timedelta(days=60),
        )
    assert not planned.goals.exists()


def _signed_then_changed(planned, physician, travel, *, first_day, consent):  # noqa: ANN001, ANN202
    """The plan signed on `first_day` with one goal, and a second goal added two
    weeks later: a new version for the patient to sign. Returns the plan as the
    second goal was added to it, and that later day."""
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=first_day + timedelta(days=60),
    )
    sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=first_day,
        signature="paper",
        consent_to_forsakringskassan=consent,
    )
    later = travel(first_day + timedelta(days=14))
    plan = RehabPlan.objects.get(pk=planned.pk)
    add_goal(
        by=physician,
        plan=plan,
        profession="physician",
        owner=physician.user,
        description="Cykla till arbetet",
        measure="dagar per vecka",
        target_date=later + timedelta(days=30),
    )
    return plan, later


def test_a_goal_added_after_signing_makes_a_new_version_to_sign(
    planned, physician, client_for, travel
):
    from painrehab.pathway.models import SignedPlanVersion
    from painrehab.steps.plan.services import sign_changed_plan

    first_day = _today()  # held still by the clock fixture
    plan, later = _signed_then_changed(
        planned, physician, travel, first_day=first_day, consent=False
    )
    client = client_for(physician)
    page = client.get(f"/vardforlopp/{planned.episode_id}/plan/").content.decode()
    assert f"Version 1: Undertecknad på papper {first_day.isoformat()}" in page
    assert "den nya versionen behöver patientens underskrift" in page
    response = client.post(
        f"/vardforlopp/{planned.episode_id}/plan/spara/",
        {
            "action": "sign_again",
            "version": plan.version,
            "signed_on": later.isoformat(),
            "signature": "tablet",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.changed_after_signing is False
    versions = list(SignedPlanVersion.objects.filter(plan=plan))
    assert [(v.number, v.signed_on, v.signature) for v in versions] == [
        (1, first_day, "paper"),
        (2, later, "tablet"),
    ]
    assert bytes(versions[1].pdf) == _stored(plan.signed_pdf)
    assert bytes(versions[0].pdf) != bytes(versions[1].pdf)  # the first stays as signed
    with pytest.raises(TransitionRefused, match="inte ändrats"):
        sign_changed_plan(by=physician, plan=plan, signed_on=later, signature="paper")


def test_the_copy_to_forsakringskassan_encloses_the_plan_exactly_as_signed(
    planned, physician, client_for, travel
):
    from painrehab.steps.plan.services import sign_changed_plan

    first_day = _today()  # held still by the clock fixture
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=first_day + timedelta(days=60),
    )
    plan, letters, _problems = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=first_day,
        signature="paper",
        consent_to_forsakringskassan=True,
    )
    copy = Letter.objects.get(pk=letters[0].pk)
    assert _stored(copy.enclosure_pdf) == _stored(plan.signed_pdf)
    assert copy.enclosure_sha256 == plan.signed_sha256
    assert copy.enclosure_name == (
        f"Rehabiliteringsplan undertecknad {first_day.isoformat()} (version 1)"
    )

    later = travel(first_day + timedelta(days=14))
    add_goal(
        by=physician,
        plan=RehabPlan.objects.get(pk=plan.pk),
        profession="physician",
        owner=physician.user,
        description="Cykla till arbetet",
        measure="dagar per vecka",
        target_date=later + timedelta(days=30),
    )
    client = client_for(physician)
    sent = client.get(f"/brev/{copy.pk}/bilaga/")
    assert sent.status_code == 200
    assert sent.content == _stored(plan.signed_pdf)  # the later goal is not in it
    page = client.get(f"/brev/{copy.pk}/").content.decode()
    assert "Bilaga" in page
    assert copy.enclosure_name in page

    _version, new_letters, _problems = sign_changed_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=plan.pk),
        signed_on=later,
        signature="tablet",
    )
    again = Letter.objects.get(pk=new_letters[0].pk)
    assert again.enclosure_name.endswith("(version 2)")
    assert _stored(again.enclosure_pdf) != _stored(copy.enclosure_pdf)
    assert _stored(Letter.objects.get(pk=copy.pk).enclosure_pdf) == sent.content


def test_a_letter_without_enclosure_has_none_to_show(planned, physician, client_for):
    from painrehab.documents.services import draft_letter

    letter = draft_letter(
        by=physician, episode=planned.episode, kind=LetterKind.FIRST_NOTICE
    )
    assert client_for(physician).get(f"/brev/{letter.pk}/bilaga/").status_code == 404


def test_a_copy_to_forsakringskassan_drafted_by_hand_encloses_the_signed_plan(
    planned, physician
):
    from painrehab.documents.services import LetterRefused, draft_letter

    first_day = _today()  # held still by the clock fixture
    with pytest.raises(LetterRefused, match="inte undertecknad"):
        draft_letter(
            by=physician, episode=planned.episode, kind=LetterKind.PLAN_COPY_FK
        )
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=first_day + timedelta(days=60),
    )
    plan, _letters, _problems = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=first_day,
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    letter = draft_letter(
        by=physician,
        episode=Episode.objects.get(pk=plan.episode_id),
        kind=LetterKind.PLAN_COPY_FK,
    )
    assert _stored(letter.enclosure_pdf) == _stored(plan.signed_pdf)
    assert letter.enclosure_name.endswith("(version 1)")


def test_a_signing_whose_copy_to_forsakringskassan_cannot_be_drafted_is_not_kept(
    planned, physician, break_letters
):
    from painrehab.pathway.models import SignedPlanVersion

    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=_today() + timedelta(days=60),
    )
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        sign_rehab_plan(
            by=physician,
            plan=planned,
            expected_version=1,
            signed_on=_today(),
            signature="paper",
            consent_to_forsakringskassan=True,
        )
    plan = RehabPlan.objects.get(pk=planned.pk)
    assert (plan.signed_on, plan.version) == (None, 1)
    assert not SignedPlanVersion.objects.filter(plan=plan).exists()
    assert Episode.objects.get(pk=plan.episode_id).state == State.PLANNING_MEETING


def test_a_new_signature_whose_copy_cannot_be_drafted_is_not_kept(
    planned, physician, travel, break_letters
):
    from painrehab.pathway.models import SignedPlanVersion
    from painrehab.steps.plan.services import sign_changed_plan

    first_day = _today()
    _signed_then_changed(planned, physician, travel, first_day=first_day, consent=True)
    plan = RehabPlan.objects.get(pk=planned.pk)
    later = _today()
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        sign_changed_plan(by=physician, plan=plan, signed_on=later, signature="tablet")
    plan = RehabPlan.objects.get(pk=planned.pk)
    assert (plan.signed_on, plan.changed_after_signing) == (first_day, True)
    assert SignedPlanVersion.objects.filter(plan=plan).count() == 1
