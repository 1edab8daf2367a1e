"""The read-only JSON API: one APIView per operation (STYLE.md, "API and interop").

Each view reads through the same access helpers and selectors as the HTML
screens: `get_patient_for_user` (404 for another unit's id, one audit row)
and `patient_list` (one page of the current unit, one audit row naming the
patients shown).
"""

from datetime import date

from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from painrehab.analytics.selectors import team_statistics
from painrehab.interop.api.base import ApiView
from painrehab.pathway.selectors import (
    bookings_of,
    patient_timeline,
    plans_of,
    referrals_of,
)
from painrehab.patients.access import get_patient_for_user
from painrehab.patients.models import Patient
from painrehab.patients.selectors import patient_list
from painrehab.programmes.selectors import appointments_of
from painrehab.questionnaires.selectors import results_of, submitted_requests_of

PATIENT_ID = OpenApiParameter(
    "patient_id",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
)


class ErrorSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Error"

    detail = serializers.CharField()


ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class PatientOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Patient"

    id = serializers.IntegerField()
    personnummer = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_date = serializers.DateField()
    # Empty for a patient with protected identity: no address leaves the system.
    street_address = serializers.SerializerMethodField()
    postal_code = serializers.SerializerMethodField()
    city = serializers.SerializerMethodField()
    phone = serializers.CharField()
    email = serializers.CharField()
    preferred_language = serializers.CharField()
    needs_interpreter = serializers.BooleanField()
    interpreter_language = serializers.CharField()
    needs_easy_read = serializers.BooleanField()
    registry_participates = serializers.BooleanField()

    def get_street_address(self, patient: Patient) -> str:
        return "" if patient.has_protected_identity else patient.street_address

    def get_postal_code(self, patient: Patient) -> str:
        return "" if patient.has_protected_identity else patient.postal_code

    def get_city(self, patient: Patient) -> str:
        return "" if patient.has_protected_identity else patient.city


class PatientListApi(ApiView):
    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=100,
            # DRF refuses NUL characters anyway; the pattern puts it in the schema.
            validators=[RegexValidator(r"^[^\x00]*$")],
        )
        page = serializers.IntegerField(
            required=False, min_value=1, max_value=1_000_000, default=1
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PatientPage"

        count = serializers.IntegerField()
        page = serializers.IntegerField()
        num_pages = serializers.IntegerField()
        results = PatientOutputSerializer(many=True)

    @extend_schema(
        operation_id="patients_list",
        parameters=[InputSerializer],
        responses={200: OutputSerializer, 400: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        shown = patient_list(
            membership=self.membership,
            query=params.validated_data.get("q", ""),
            page=params.validated_data["page"],
        )
        data = {
            "count": shown.paginator.count,
            "page": shown.number,
            "num_pages": shown.paginator.num_pages,
            "results": list(shown),
        }
        return Response(self.OutputSerializer(data).data)


class PatientDetailApi(ApiView):
    OutputSerializer = PatientOutputSerializer

    @extend_schema(
        operation_id="patients_retrieve",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer, **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(self.membership, patient_id, what="API: patient")
        return Response(self.OutputSerializer(patient).data)


class PatientEpisodesApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Episode"

        class TransitionSerializer(serializers.Serializer):
            from_state = serializers.CharField()
            to_state = serializers.CharField()
            at = serializers.DateTimeField()
            by = serializers.CharField(source="by.get_username")
            note = serializers.CharField()

        id = serializers.IntegerField()
        state = serializers.CharField()
        state_since = serializers.DateTimeField()
        opened_on = serializers.DateField()
        closed_on = serializers.DateField(allow_null=True)
        discharge_reason = serializers.CharField()
        transitions = TransitionSerializer(many=True, source="transitions.all")

    @extend_schema(
        operation_id="patients_episodes_list",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(
            self.membership, patient_id, what="API: episodes"
        )
        episodes = patient_timeline(patient=patient)
        return Response(self.OutputSerializer(episodes, many=True).data)


class PatientReferralsApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Referral"

        id = serializers.IntegerField()
        episode = serializers.IntegerField(source="episode_id")
        # Ignored for mypy: DRF's serializer metaclass takes declared fields off
        # the class; the stubs see this one as overriding Field.source.
        source = serializers.CharField()  # type: ignore[assignment]
        received_on = serializers.DateField()
        referrer_name = serializers.CharField()
        referrer_unit = serializers.CharField()
        reason = serializers.CharField()
        pain_duration_months = serializers.IntegerField(allow_null=True)
        pain_location = serializers.CharField()
        sick_leave = serializers.CharField()
        sick_leave_percent = serializers.IntegerField(allow_null=True)

    @extend_schema(
        operation_id="patients_referrals_list",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(
            self.membership, patient_id, what="API: referrals"
        )
        referrals = referrals_of(patient=patient)
        return Response(self.OutputSerializer(referrals, many=True).data)


class PatientResultsApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "QuestionnaireResult"

        id = serializers.IntegerField()
        episode = serializers.IntegerField(source="episode_id")
        time_point = serializers.CharField()
        code = serializers.CharField()
        definition_version = serializers.CharField()
        total = serializers.FloatField(allow_null=True)
        subscales = serializers.DictField(child=serializers.FloatField(allow_null=True))
        subscale_bands = serializers.DictField(child=serializers.CharField())
        band = serializers.CharField()
        valid = serializers.BooleanField()
        reason = serializers.CharField()
        flags = serializers.ListField(child=serializers.CharField())
        # Ignored for mypy: DRF's serializer metaclass takes declared fields off
        # the class; the stubs see this one as overriding Field.source.
        source = serializers.CharField()  # type: ignore[assignment]
        answered_on = serializers.DateField()

    @extend_schema(
        operation_id="patients_results_list",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(
            self.membership, patient_id, what="API: questionnaire results"
        )
        results = results_of(patient=patient)
        return Response(self.OutputSerializer(results, many=True).data)


class PatientPlansApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RehabPlan"

        class GoalSerializer(serializers.Serializer):
            class EvaluationSerializer(serializers.Serializer):
                when = serializers.CharField()
                evaluated_on = serializers.DateField()
                result = serializers.CharField()

            id = serializers.IntegerField()
            profession = serializers.CharField()
            description = serializers.CharField()
            measure = serializers.CharField()
            target_date = serializers.DateField()
            phase = serializers.CharField()
            set_on = serializers.DateField()
            evaluations = EvaluationSerializer(many=True, source="evaluations.all")

        id = serializers.IntegerField()
        episode = serializers.IntegerField(source="episode_id")
        track = serializers.CharField()
        values = serializers.CharField()
        overall_goal = serializers.CharField()
        signed_on = serializers.DateField(allow_null=True)
        signature = serializers.CharField()
        goals = GoalSerializer(many=True, source="goals.all")

    @extend_schema(
        operation_id="patients_plans_list",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(
            self.membership, patient_id, what="API: rehabilitation plans"
        )
        plans = plans_of(patient=patient)
        return Response(self.OutputSerializer(plans, many=True).data)


class PatientAppointmentsApi(ApiView):
    """Bookings of the pathway (visits, investigation, follow-up) and the
    individual appointments of rehabilitation, oldest first."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Appointment"

        id = serializers.CharField(help_text="booking-N or appointment-N")
        episode = serializers.IntegerField(source="episode_id")
        kind = serializers.CharField()
        starts_at = serializers.DateTimeField()
        minutes = serializers.IntegerField()
        profession = serializers.CharField()
        mode = serializers.CharField()
        status = serializers.CharField()

    @extend_schema(
        operation_id="patients_appointments_list",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(
            self.membership, patient_id, what="API: appointments"
        )
        bookings = bookings_of(patient=patient)
        appointments = appointments_of(patient=patient)
        rows = [
            {"id": f"booking-{b.pk}", "episode_id": b.episode_id, "kind": b.kind,
             "starts_at": b.starts_at, "minutes": b.minutes,
             "profession": "", "mode": b.mode,
             "status": b.status}
            for b in bookings
        ] + [
            {"id": f"appointment-{a.pk}", "episode_id": a.episode_id,
             "kind": "individual_rehabilitation", "starts_at": a.starts_at,
             "minutes": a.minutes, "profession": a.profession, "mode": a.mode,
             "status": a.status}
            for a in appointments
        ]  # fmt: skip
        rows.sort(key=lambda row: (row["starts_at"], row["id"]))
        return Response(self.OutputSerializer(rows, many=True).data)


class PatientQuestionnaireResponsesApi(ApiView):
    """Submitted questionnaire requests with every answer, item by item."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "QuestionnaireResponse"

        class AnswerSerializer(serializers.Serializer):
            code = serializers.CharField()
            item = serializers.IntegerField()
            value = serializers.JSONField(allow_null=True)

        id = serializers.IntegerField()
        episode = serializers.IntegerField(source="episode_id")
        time_point = serializers.CharField()
        codes = serializers.ListField(child=serializers.CharField())
        sent_on = serializers.DateField()
        submitted_at = serializers.DateTimeField()
        answers = AnswerSerializer(many=True, source="answers.all")

    @extend_schema(
        operation_id="patients_questionnaire_responses_list",
        parameters=[PATIENT_ID],
        responses={200: OutputSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, patient_id: int) -> Response:
        patient = get_patient_for_user(
            self.membership, patient_id, what="API: questionnaire responses"
        )
        submitted = submitted_requests_of(patient=patient)
        return Response(self.OutputSerializer(submitted, many=True).data)


class TeamStatisticsApi(ApiView):
    """The unit's team statistics for a period (aggregates, no patient data)."""

    class InputSerializer(serializers.Serializer):
        start = serializers.DateField(
            required=False, help_text="First day (default 1 January this year)"
        )
        end = serializers.DateField(
            required=False, help_text="Last day (default 31 December this year)"
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TeamStatistics"

        start = serializers.DateField()
        end = serializers.DateField()
        referrals_in = serializers.IntegerField()
        triage_outcomes = serializers.DictField(child=serializers.IntegerField())
        new_visits = serializers.IntegerField()
        new_visits_within_goal = serializers.IntegerField()
        new_visits_within_guarantee = serializers.IntegerField()
        median_days_to_new_visit = serializers.FloatField(allow_null=True)
        programmes_started = serializers.IntegerField()
        programme_participants = serializers.IntegerField()
        completed = serializers.IntegerField()
        dropped_out_by_reason = serializers.DictField(child=serializers.IntegerField())
        discharges_by_reason = serializers.DictField(child=serializers.IntegerField())
        follow_ups_on_time = serializers.IntegerField()
        follow_ups_late = serializers.IntegerField()
        follow_ups_not_reached = serializers.IntegerField()
        questionnaires_sent = serializers.IntegerField()
        questionnaires_answered = serializers.IntegerField()

    @extend_schema(
        operation_id="statistics_retrieve",
        parameters=[InputSerializer],
        responses={200: OutputSerializer, 400: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        given = self.InputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        year = timezone.localdate().year
        start = given.validated_data.get("start", date(year, 1, 1))
        end = given.validated_data.get("end", date(year, 12, 31))
        start, end = min(start, end), max(start, end)  # as the statistics page does
        stats = team_statistics(unit=self.membership.unit_id, start=start, end=end)
        waits = stats.new_visit_waits
        data = {
            "start": start, "end": end, "referrals_in": stats.referrals_in,
            "triage_outcomes": stats.triage_outcomes, "new_visits": waits.visits,
            "new_visits_within_goal": waits.within_goal,
            "new_visits_within_guarantee": waits.within_guarantee,
            "median_days_to_new_visit": waits.median_days,
            "programmes_started": stats.programmes.cohorts,
            "programme_participants": stats.programmes.participants,
            "completed": stats.completion.completed,
            "dropped_out_by_reason": stats.completion.dropped_out_by_reason,
            "discharges_by_reason": stats.discharges_by_reason,
            "follow_ups_on_time": stats.follow_ups.on_time,
            "follow_ups_late": stats.follow_ups.late,
            "follow_ups_not_reached": stats.follow_ups.not_reached,
            "questionnaires_sent": stats.questionnaires_sent,
            "questionnaires_answered": stats.questionnaires_answered,
        }  # fmt: skip
        return Response(self.OutputSerializer(data).data)
