"""Walks every URL pattern: ids of another unit give 404, and every view is guarded.

A view added later is covered without anyone remembering to: a new id keyword
fails the walk until it is given a way to make an object of the other unit.
"""

import re
import sys
from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from painrehab.accounts.models import CareUnit, Membership, User
from painrehab.accounts.permissions import Profession
from painrehab.audit.models import AuditEvent

# Views that are public on purpose (no patient data).
# The single sign-on pair leads to the identity provider and back (404 when
# sign-on is off); the callback logs in only the browser that started it.
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "password_set",
    "second_factor",
    "enrol_second_factor",
    "sso_start",
    "sso_callback",
    # The SMS provider's delivery report: no login, the secret in the path
    # is the proof, 404 without it; it answers nothing about the patient.
    "outbox:sms_delivered",
    "favicon",  # a redirect to the site's icon
}
# The patient form by link: no account; guarded by the token or short code and
# a second factor (painrehab/questionnaires/patient_views.py), no ids in paths.
PATIENT_LINK = {
    "patient_form:start",
    "patient_form:code",
    "patient_form:form",
    "patient_form:save",
    "patient_form:submit",
    "patient_form:eid_return",  # the e-ID broker's answer, bound to the session
}
LOGIN_ONLY = {
    "switch_unit",  # switches among the user's own memberships only
    "no_unit",  # says that the user has no membership yet, nothing else
    "password_change",  # one's own password
    "second_factor_settings",  # the user's own second factor
    "new_recovery_codes",
}


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        else:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def _project_patterns() -> list[tuple[str, str, URLPattern]]:
    return [
        (name, route, p)
        for name, route, p in _walk(get_resolver())
        if not route.startswith(("admin/", "static/"))
    ]


def test_every_view_is_public_on_purpose_or_guarded_by_staff_view():
    unguarded = [
        name
        for name, _route, pattern in _project_patterns()
        if name not in PUBLIC | LOGIN_ONLY | PATIENT_LINK
        and not hasattr(pattern.callback, "staff_permission")
    ]
    assert unguarded == []


@pytest.fixture
def other_unit_objects(episode_b, unit_b) -> dict[str, Callable[[], int]]:  # noqa: ANN001
    return objects_of_episode_unit(episode_b)


def objects_of_episode_unit(episode_b) -> dict[str, Callable[[], int]]:  # noqa: ANN001
    """One object per id keyword of the URL patterns, all in the episode's unit.

    The walk below uses unit B's; the fuzz tests (tests/fuzz/) use unit A's.
    """
    from django.utils import timezone

    from painrehab.documents.models import Letter
    from painrehab.pathway.models import Booking

    unit_b = episode_b.unit
    staff = episode_b.transitions.first().by
    booking = Booking.objects.create(
        episode=episode_b,
        unit=unit_b,
        kind="new_visit",
        starts_at=timezone.now(),
        staff=staff,
        booked_by=staff,
    )
    letter = Letter.objects.create(
        unit=unit_b,
        patient=episode_b.patient,
        episode=episode_b,
        kind="invitation",
        template_version="standard",
        recipient="patient",
        recipient_name="B",
        recipient_address="B",
        subject="B",
        body="B",
        letter_date=timezone.localdate(),
        created_by=staff,
    )
    from painrehab.pathway.models import Goal, PreparatoryIntervention, RehabPlan

    plan = RehabPlan.objects.create(
        episode=episode_b, track="group_programme", updated_by=staff
    )
    goal = Goal.objects.create(
        plan=plan,
        profession="physician",
        owner=staff,
        description="B",
        measure="B",
        target_date=timezone.localdate(),
        set_on=timezone.localdate(),
    )
    preparation = PreparatoryIntervention.objects.create(
        episode=episode_b, profession="physician", kind="other", updated_by=staff
    )
    from painrehab.outbox.models import Message

    message = Message.objects.create(
        unit=unit_b,
        patient=episode_b.patient,
        kind="letter",
        channel="sms",
        recipient="+46701740605",
        send_after=timezone.now(),
    )
    return {
        "message_id": lambda: message.pk,
        "patient_id": lambda: episode_b.patient_id,
        "episode_id": lambda: episode_b.pk,
        "booking_id": lambda: booking.pk,
        "letter_id": lambda: letter.pk,
        "goal_id": lambda: goal.pk,
        "preparation_id": lambda: preparation.pk,
        "membership_id": lambda: staff.memberships.get(unit=unit_b).pk,
        **_questionnaire_objects(episode_b, staff),
        **_programme_objects(episode_b, staff),
    }


def _questionnaire_objects(episode_b, staff) -> dict[str, Callable[[], int]]:  # noqa: ANN001
    from django.utils import timezone

    from painrehab.questionnaires.sample_wording import install_sample_wordings
    from painrehab.questionnaires.services import record_staff_rating, send_package

    by_b = episode_b.unit.memberships.get(user=staff)
    wordings = install_sample_wordings(unit=episode_b.unit, user=staff)
    # Each unit kind sends its own packages: KRT in primary care, registry otherwise.
    primary_care = episode_b.unit.kind == CareUnit.Kind.PRIMARY_CARE
    time_point = "krt_before" if primary_care else "registry_before"
    sent = send_package(by=by_b, episode=episode_b, time_point=time_point)
    rating = record_staff_rating(
        by=by_b,
        episode=episode_b,
        time_point=time_point,
        code="borg_rpe",
        answers={1: 13},
        rated_on=timezone.localdate(),
    )
    return {
        "request_id": lambda: sent.request.pk,
        "result_id": lambda: rating.pk,
        "wording_id": lambda: wordings["hads"],
    }


def _programme_objects(episode_b, staff) -> dict[str, Callable[[], int]]:  # noqa: ANN001
    from datetime import time

    from django.utils import timezone

    from painrehab.programmes.models import Appointment, Room, Session, SessionStaff
    from painrehab.programmes.services.templates import ensure_default_templates

    unit_b = episode_b.unit
    template = ensure_default_templates(unit_b)[0]
    member = unit_b.memberships.get(user=staff)
    cohort = template.cohorts.create(
        unit=unit_b,
        name="B",
        start=timezone.localdate(),
        end=timezone.localdate(),
        created_by=staff,
    )
    participant = cohort.participants.create(
        episode=episode_b, added_by=staff, added_at=timezone.now()
    )
    room = Room.objects.create(unit=unit_b, name="B", kind="gym")
    session = Session.objects.create(
        unit=unit_b,
        cohort=cohort,
        activity_key="b",
        activity_name="B",
        date=timezone.localdate(),
        start=time(9),
        end=time(10),
        room=room,
        attendees="all",
    )
    session.participants.add(participant)
    SessionStaff.objects.create(
        session=session, user=staff, profession=member.profession, minutes=60
    )
    appointment = Appointment.objects.create(
        unit=unit_b,
        episode=episode_b,
        starts_at=timezone.now(),
        minutes=45,
        staff=staff,
        profession=member.profession,
        created_by=staff,
    )
    return {
        "cohort_id": lambda: cohort.pk,
        "participant_id": lambda: participant.pk,
        "session_id": lambda: session.pk,
        "room_id": lambda: room.pk,
        "member_id": lambda: member.pk,
        "template_id": lambda: template.pk,
        "appointment_id": lambda: appointment.pk,
    }


@pytest.fixture
def members_of_unit_a(unit_a) -> dict[str, Membership]:  # noqa: ANN001
    members: dict[str, Membership] = {}
    for profession in Profession:
        user = User.objects.create_user(
            username=f"walk_{profession}", password="x-password-123"
        )
        members[profession] = Membership.objects.create(
            user=user, unit=unit_a, profession=profession, is_unit_admin=True
        )
    return members


def _member_with(members: dict[str, Membership], permission: str) -> Membership:
    return next(m for m in members.values() if permission in m.permissions)


def _permission_of(view: Callable[..., object]) -> str:
    """The permission `staff_view` (or the API's view) set on a view."""
    permission = getattr(view, "staff_permission", None)
    assert isinstance(permission, str)
    return permission


def test_ids_of_another_unit_give_404_on_every_patient_url(
    client, other_unit_objects, members_of_unit_a
):
    from django.urls import reverse

    checked = []
    for name, _route, pattern in _project_patterns():
        id_keywords = [k for k in pattern.pattern.converters if k.endswith("_id")]
        if not id_keywords:
            continue
        missing = [k for k in id_keywords if k not in other_unit_objects]
        assert not missing, (
            f"{name} takes {missing}: teach this walk to make one in another unit"
        )
        kwargs = {k: other_unit_objects[k]() for k in id_keywords}
        kwargs |= {
            k: STRING_VALUES[k]
            for k in pattern.pattern.converters
            if k not in kwargs and k in STRING_VALUES
        }
        url = reverse(name, kwargs=kwargs)
        client.force_login(
            _member_with(members_of_unit_a, _permission_of(pattern.callback)).user
        )
        before = AuditEvent.objects.filter(action__in=["create", "update"]).count()
        assert client.get(url).status_code in {404, 405}, f"GET {url}"
        assert (
            client.post(url, {"to": "triaged", "version": 1, "note": "x"}).status_code
            == 404
        ), f"POST {url}"
        assert (
            AuditEvent.objects.filter(action__in=["create", "update"]).count() == before
        )
        checked.append(name)
    assert {
        "patients:detail",
        "patients:edit",
        "pathway:episode",
        "pathway:move",
        "pathway:triage",
        "pathway:book",
        "pathway:absence",
        "documents:letter",
        "documents:pdf",
        "documents:finalise",
        "questionnaires:send",
        "questionnaires:staff_rating",
        "questionnaires:request",
        "questionnaires:renew",
        "questionnaires:paper_entry",
        "questionnaires:result",
        "programmes:cohort",
        "programmes:add_participant",
        "programmes:schedule",
        "programmes:start",
        "programmes:attendance",
        "programmes:cohort_ics",
        "programmes:week_pdf",
        "programmes:remove_participant",
        "programmes:warning_letter",
        "programmes:session",
        "programmes:staff_ics",
        "programmes:availability",
        "programmes:room",
        "programmes:template",
        "programmes:appointments",
        "programmes:appointment_status",
        "team:membership",
        "team:end",
        "team:reset_password",
        "team:link",
        "reset_staff_second_factor",
    } <= set(checked)


def test_anonymous_users_are_sent_to_login(client, episode_a):
    for url in [
        f"/patienter/{episode_a.patient_id}/",
        f"/vardforlopp/{episode_a.pk}/",
        "/",
        "/patienter/",
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")


def test_user_without_membership_sees_no_patient(client, episode_a):
    user = User.objects.create_user(username="nobody", password="x-password-123")
    client.force_login(user)
    assert client.get(f"/patienter/{episode_a.patient_id}/").status_code == 404


def test_member_without_permission_gets_403_and_nothing_changes(
    client_for, sports_leader, episode_a
):
    client = client_for(sports_leader)
    response = client.post(
        f"/vardforlopp/{episode_a.pk}/steg/",
        {"to": "triaged", "version": episode_a.version},
    )
    episode_a.refresh_from_db()
    # The sports leader may view, so the step is refused by the state table, not hidden.
    assert response.status_code == 400
    assert episode_a.state == "referral_received"
    assert (
        client_for(sports_leader)
        .get(f"/patienter/{episode_a.patient_id}/andra/")
        .status_code
        == 403
    )


# Admin pages without a login: the login page itself. Every other admin page
# wants an `is_staff` user (system administrators; see the admin registry test).
ADMIN_PUBLIC = {"admin:login", "admin_login"}  # the latter: the staff login
# A valid value for each string keyword of the project's URL patterns.
STRING_VALUES = {
    "state": "referral_received",
    "step": "new_visit",
    "template": "specialist",
    "profession": "physician",
    "kind": "invitation",
    "code": "hads",
    "token": "no-such-token",
    "item_key": "krt_group_1_month",
    "uidb64": "MQ",
}


def _example_path(route: str) -> str:
    """A concrete path for a route: 1 for ids, a valid value for other keywords."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<app_label>(\w+)[^)]*\)", r"\1", route)  # admin app index
    route = route.replace("(?P<url>.*)", "no-such-page/")  # admin catch-all
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: STRING_VALUES.get(m[2], "1") if m[1] in {"str", "slug"} else "1",
        route,
    )


def _all_patterns() -> list[tuple[str, str]]:
    return [(name, _example_path(route)) for name, route, _p in _walk(get_resolver())]


def test_every_pattern_is_public_on_purpose_or_refuses_anonymous_users(client, db):
    public = PUBLIC | PATIENT_LINK | ADMIN_PUBLIC
    checked = 0
    for name, path in _all_patterns():
        if name in public:
            continue
        get, post = client.get(path), client.post(path)
        if name == "admin:logout":  # guarded too, by way of the admin index
            expected_login = "/admin/"
        elif path.startswith("/admin/"):
            expected_login = "/admin/login/"
        elif path.startswith("/api/"):
            assert get.status_code in {401, 403}, path
            assert post.status_code in {401, 403}, path
            checked += 1
            continue
        else:
            expected_login = "/konto/logga-in/"
        for response in (get, post):
            # POST-only views answer a GET with 405 before anything else.
            if response is get and response.status_code == 405:
                continue
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"].startswith(expected_login), (name, path)
        checked += 1
    assert checked == len(_all_patterns()) - len(public)


def test_a_staff_user_of_no_unit_gets_404_on_every_unit_view(client, db):  # noqa: ARG001
    user = User.objects.create_user(username="nobody", password="x-password-123")
    client.force_login(user)
    checked = 0
    for name, path in _all_patterns():
        if name in PUBLIC | PATIENT_LINK | LOGIN_ONLY or path.startswith("/admin/"):
            continue
        for response in (client.get(path), client.post(path)):
            assert response.status_code in {404, 405}, (name, path)
        checked += 1
    assert checked == len(_project_patterns()) - len(PUBLIC | PATIENT_LINK | LOGIN_ONLY)


def test_unit_members_who_are_not_system_administrators_get_no_admin_page(
    client_for, coordinator
):
    client = client_for(coordinator)  # unit administrator, but not is_staff
    for name, path in _all_patterns():
        if path.startswith("/admin/") and name not in ADMIN_PUBLIC:
            response = client.get(path)
            expected = "/admin/" if name == "admin:logout" else "/admin/login/"
            assert response.status_code == 302, (name, path)
            assert response["Location"].startswith(expected), (name, path)


def test_the_admin_shows_no_patient_data():
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    assert registered == {
        "auth.Group",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "accounts.CareUnit",
        "accounts.User",
        "programmes.ProgrammeTemplate",
        "programmes.Room",
        "interop.IntegrationToken",
        # The outbox's tasks: their arguments are message ids, their results states.
        "django_tasks_database.DBTaskResult",
    }


def test_the_url_walk_sees_every_pattern_and_names_the_public_ones():
    patterns = _all_patterns()
    names = {name for name, _path in patterns}
    public = (PUBLIC | PATIENT_LINK | ADMIN_PUBLIC) & names
    assert public == PUBLIC | PATIENT_LINK | ADMIN_PUBLIC
    assert any(path.startswith("/api/") for _n, path in patterns)
    assert any(path.startswith("/fhir/") for _n, path in patterns)
    assert any(path.startswith("/statistik/") for _n, path in patterns)
    assert any(path.startswith("/admin/") for _n, path in patterns)
    sys.stdout.write(f"url walk: {len(patterns)} patterns, {len(public)} public\n")
