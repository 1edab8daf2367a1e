"""The read-only JSON API: token auth, unit scoping, audit rows, constant queries."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.audit.models import AuditEvent
from painrehab.interop.api.tokens import create_token
from painrehab.interop.models import IntegrationToken, hash_token
from painrehab.outbox.services import save_contact_preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(physician):  # noqa: ANN001, ANN201
    raw, _ = create_token(membership=physician, label="test")
    return raw


@pytest.fixture
def api(client, token):  # noqa: ANN001, ANN201
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client


def _views_of(patient_id: int) -> int:
    return AuditEvent.objects.filter(
        action="view", patients__patient_id=patient_id
    ).count()


def test_token_is_stored_only_as_a_hash(token, physician):
    stored = IntegrationToken.objects.get(membership=physician)
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
    assert len(token) >= 40  # 32 random bytes, url-safe
    assert AuditEvent.objects.filter(action="access_change").count() == 1


def test_token_and_bearer_headers_both_work(client, token, patient_a):
    for keyword in ("Token", "Bearer"):
        response = client.get("/api/patients/", HTTP_AUTHORIZATION=f"{keyword} {token}")
        assert response.status_code == 200
        assert [p["id"] for p in response.json()["results"]] == [patient_a.pk]


def test_bad_missing_or_revoked_token_is_401(client, token, patient_a):
    from django.utils import timezone

    assert client.get("/api/patients/").status_code == 401
    bad = client.get("/api/patients/", HTTP_AUTHORIZATION="Token pr_wrong")
    assert bad.status_code == 401
    assert bad["WWW-Authenticate"].startswith("Bearer")
    IntegrationToken.objects.update(revoked_at=timezone.now())
    revoked = client.get("/api/patients/", HTTP_AUTHORIZATION=f"Token {token}")
    assert revoked.status_code == 401
    assert not AuditEvent.objects.filter(action="view").exists()


def test_read_only(api, patient_a):
    assert api.post("/api/patients/", {}).status_code == 405
    assert api.post(f"/api/patients/{patient_a.pk}/", {}).status_code == 405
    assert api.delete(f"/api/patients/{patient_a.pk}/").status_code == 405
    assert api.put(f"/api/patients/{patient_a.pk}/", {}).status_code == 405


def test_list_shows_only_own_unit_and_is_audited_once(api, patient_a, patient_b):
    response = api.get("/api/patients/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [p["id"] for p in body["results"]] == [patient_a.pk]
    event = AuditEvent.objects.get(action="view")
    assert [p.patient_id for p in event.patients.all()] == [patient_a.pk]
    assert _views_of(patient_b.pk) == 0


@pytest.mark.parametrize(
    "suffix",
    [
        "",
        "episodes/",
        "referrals/",
        "results/",
        "plans/",
        "appointments/",
        "questionnaire-responses/",
    ],  # fmt: skip
)
def test_another_units_patient_is_404_on_every_endpoint(api, patient_b, suffix):
    url = f"/api/patients/{patient_b.pk}/{suffix}"
    assert api.get(url).status_code == 404
    assert api.post(url, {}).status_code == 404  # 404 before 405: no hint it exists
    assert _views_of(patient_b.pk) == 0


def test_session_staff_of_another_unit_get_404(client, other_physician, patient_a):
    client.force_login(other_physician.user)
    assert client.get(f"/api/patients/{patient_a.pk}/").status_code == 404
    assert client.get("/api/patients/").json()["count"] == 0


def test_session_staff_of_own_unit_may_read(client, physician, patient_a):
    client.force_login(physician.user)
    assert client.get(f"/api/patients/{patient_a.pk}/").status_code == 200


def test_user_without_membership_gets_404(client):
    from painrehab.accounts.models import User

    client.force_login(User.objects.create_user(username="nobody", password="x"))
    assert client.get("/api/patients/").status_code == 404


def _plan_with_goal(episode, membership):  # noqa: ANN001, ANN202
    from painrehab.pathway.models import Goal, GoalEvaluation, RehabPlan

    plan = RehabPlan.objects.create(
        episode=episode,
        track="group_programme",
        overall_goal="Arbeta halvtid",
        updated_by=membership.user,
    )
    goal = Goal.objects.create(
        plan=plan,
        profession="physician",
        owner=membership.user,
        description="Gå 30 minuter",
        measure="minuter",
        target_date=date(2027, 1, 1),
        set_on=date(2026, 11, 1),
    )
    GoalEvaluation.objects.create(
        goal=goal,
        when="programme_end",
        evaluated_on=date(2026, 12, 1),
        result="met",
        evaluated_by=membership.user,
    )
    return plan


def test_patient_data_endpoints(api, episode_a, physician, coordinator):
    from django.utils import timezone

    from painrehab.questionnaires.services import record_staff_rating

    patient_id = episode_a.patient_id
    _plan_with_goal(episode_a, physician)
    rating = record_staff_rating(
        by=coordinator,
        episode=episode_a,
        time_point="krt_before",
        code="borg_rpe",
        answers={1: 13},
        rated_on=timezone.localdate(),
    )
    before = _views_of(patient_id)

    detail = api.get(f"/api/patients/{patient_id}/").json()
    assert detail["last_name"] == "Andersson"

    episodes = api.get(f"/api/patients/{patient_id}/episodes/").json()
    assert episodes[0]["id"] == episode_a.pk
    assert episodes[0]["state"] == episode_a.state
    assert episodes[0]["transitions"][0]["to_state"] == "referral_received"

    referrals = api.get(f"/api/patients/{patient_id}/referrals/").json()
    assert referrals[0]["referrer_name"] == "Dr Remiss"

    results = api.get(f"/api/patients/{patient_id}/results/").json()
    assert results[0]["id"] == rating.pk
    assert results[0]["code"] == "borg_rpe"
    assert results[0]["definition_version"] == rating.definition_version
    assert results[0]["total"] == rating.total

    plans = api.get(f"/api/patients/{patient_id}/plans/").json()
    assert plans[0]["overall_goal"] == "Arbeta halvtid"
    assert plans[0]["goals"][0]["evaluations"][0]["result"] == "met"

    assert _views_of(patient_id) == before + 5  # one audit row per read


def _make_patients(unit, n: int) -> None:  # noqa: ANN001
    from painrehab.core.personnummer import tax_agency_test_number
    from painrehab.patients.models import Patient

    existing = Patient.objects.filter(unit=unit).count()
    Patient.objects.bulk_create(
        Patient(
            unit=unit,
            personnummer=tax_agency_test_number(
                born=date(1950 + i // 300, 1 + (i // 28) % 12, 1 + i % 28),
                female=bool(i % 2),
            ),
            birth_date=date(1950 + i // 300, 1 + (i // 28) % 12, 1 + i % 28),
            first_name=f"P{i}",
            last_name="Test",
        )
        for i in range(existing, n)
    )


LIST_QUERIES = 5  # token, count, page, audit event, audit patients


def test_list_query_count_is_constant(api, unit_a):
    counts = {}
    for n in (10, 60):
        _make_patients(unit_a, n)
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/patients/")
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(n, 50)
        counts[n] = len(ctx.captured_queries)
    assert counts == {10: LIST_QUERIES, 60: LIST_QUERIES}
    page_two = api.get("/api/patients/?page=2").json()
    assert page_two["page"] == 2
    assert len(page_two["results"]) == 10


def test_bad_query_parameters_are_400(api):
    assert api.get("/api/patients/?page=0").status_code == 400
    assert api.get("/api/patients/?page=x").status_code == 400


def test_schema_is_served_to_authenticated_callers_only(client, api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/patients/{patient_id}/results/" in response.json()["paths"]
    del client.defaults["HTTP_AUTHORIZATION"]
    assert client.get("/api/schema/").status_code == 401


def test_management_command_prints_the_token_once(physician, capsys):
    call_command(
        "create_integration_token",
        "--user",
        physician.user.username,
        "--unit",
        str(physician.unit_id),
    )
    raw = capsys.readouterr().out.strip()
    assert IntegrationToken.objects.filter(token_hash=hash_token(raw)).exists()


def _booking_and_response(episode, membership):  # noqa: ANN001, ANN202
    from django.utils import timezone

    from painrehab.pathway.models import Booking
    from painrehab.questionnaires.models import Answer, QuestionnaireRequest

    starts = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.get_current_timezone())
    Booking.objects.create(
        episode=episode, unit=episode.unit, kind="new_visit", starts_at=starts,
        staff=membership.user, booked_by=membership.user,
    )  # fmt: skip
    request = QuestionnaireRequest.objects.create(
        unit=episode.unit, episode=episode, time_point="registry_before",
        codes=["nprs"], status="submitted", token_hash="a" * 64, code_hash="b" * 64,
        sent_on=date(2026, 11, 1), expires_on=date(2026, 11, 30),
        sent_by=membership.user, submitted_at=starts,
    )  # fmt: skip
    Answer.objects.create(
        request=request, code="nprs", item=1, value=7, answered_at=starts
    )


def test_appointments_and_questionnaire_responses(api, episode_a, physician):
    _booking_and_response(episode_a, physician)
    base = f"/api/patients/{episode_a.patient_id}/"
    appointments = api.get(base + "appointments/").json()
    assert [(a["kind"], a["starts_at"][:16]) for a in appointments] == [
        ("new_visit", "2026-11-03T09:00")
    ]
    responses = api.get(base + "questionnaire-responses/").json()
    assert responses[0]["answers"] == [{"code": "nprs", "item": 1, "value": 7}]
    assert _views_of(episode_a.patient_id) == 2


def test_statistics_endpoint_counts_the_unit_and_checks_the_period(
    api, episode_a, episode_b
):
    data = api.get("/api/statistics/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert data.status_code == 200
    assert data.json()["referrals_in"] == 1  # episode_b is another unit's
    swapped = api.get("/api/statistics/", {"start": "2026-12-31", "end": "2026-01-01"})
    assert swapped.json()["start"] == "2026-01-01"
    assert api.get("/api/statistics/", {"start": "not a date"}).status_code == 400


def test_a_patient_with_protected_identity_has_no_address_in_the_api(
    api, patient_a, coordinator
):
    patient_a.street_address, patient_a.postal_code, patient_a.city = (
        "Storgatan 8", "831 40", "Östersund",
    )  # fmt: skip
    patient_a.save()
    shown = api.get(f"/api/patients/{patient_a.pk}/").json()
    assert (shown["street_address"], shown["city"]) == ("Storgatan 8", "Östersund")
    save_contact_preference(
        by=coordinator, patient=patient_a, sms_consent=False, email_consent=False,
        mailbox_consent=False, protected_identity=True,
    )  # fmt: skip
    for shown in (
        api.get(f"/api/patients/{patient_a.pk}/").json(),
        api.get("/api/patients/").json()["results"][0],
    ):
        assert (shown["street_address"], shown["postal_code"], shown["city"]) == (
            "", "", "",
        )  # fmt: skip
