from django.urls import path

from painrehab.programmes.views import calendar, cohorts, individual, setup

app_name = "programmes"
urlpatterns = [
    path("", cohorts.index, name="index"),
    path("ny/", cohorts.new_cohort, name="new_cohort"),
    path("arsplan/", cohorts.annual_plan, name="annual_plan"),
    path("kohort/<int:cohort_id>/", cohorts.cohort_detail, name="cohort"),
    path("kohort/<int:cohort_id>/deltagare/", cohorts.add, name="add_participant"),
    path("kohort/<int:cohort_id>/schemalagg/", cohorts.schedule, name="schedule"),
    path("kohort/<int:cohort_id>/starta/", cohorts.start, name="start"),
    path(
        "kohort/<int:cohort_id>/uppfoljning/<slug:item_key>/",
        cohorts.group_follow_up,
        name="group_follow_up",
    ),
    path(
        "kohort/<int:cohort_id>/vecka/", calendar.cohort_week_view, name="cohort_week"
    ),
    path("kohort/<int:cohort_id>/kalender.ics", calendar.cohort_ics, name="cohort_ics"),
    path("kohort/<int:cohort_id>/veckoschema.pdf", calendar.week_pdf, name="week_pdf"),
    path("kohort/<int:cohort_id>/narvaro/", calendar.attendance, name="attendance"),
    path(
        "deltagare/<int:participant_id>/ta-bort/",
        cohorts.remove,
        name="remove_participant",
    ),
    path(
        "deltagare/<int:participant_id>/patienthotell/",
        cohorts.hotel,
        name="patient_hotel",
    ),
    path(
        "deltagare/<int:participant_id>/varningsbrev/",
        cohorts.warning_letter,
        name="warning_letter",
    ),
    path("pass/<int:session_id>/", calendar.session_edit, name="session"),
    path("pass/<int:session_id>/las-upp/", calendar.session_unlock, name="unlock"),
    path("min-vecka/", calendar.my_week, name="my_week"),
    path("personal/", setup.staff, name="staff"),
    path(
        "personal/<int:member_id>/vecka/", calendar.staff_week_view, name="staff_week"
    ),
    path("personal/<int:member_id>/kalender.ics", calendar.staff_ics, name="staff_ics"),
    path(
        "personal/<int:member_id>/tillganglighet/",
        setup.availability,
        name="availability",
    ),
    path("lokaler/", setup.rooms, name="rooms"),
    path("lokaler/ny/", setup.room_edit, name="new_room"),
    path("lokaler/<int:room_id>/", setup.room_edit, name="room"),
    path("lokaler/<int:room_id>/vecka/", calendar.room_week_view, name="room_week"),
    path("mallar/", setup.templates, name="templates"),
    path("mallar/<int:template_id>/", setup.template_detail, name="template"),
    path(
        "vardforlopp/<int:episode_id>/insatser/",
        individual.appointments,
        name="appointments",
    ),
    path(
        "insats/<int:appointment_id>/status/",
        individual.appointment_status,
        name="appointment_status",
    ),
]
