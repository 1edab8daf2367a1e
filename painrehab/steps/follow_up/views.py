from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.forms import read_query
from painrehab.core.windows import FollowUp, WindowStatus, window_status
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import (
    EndRehabilitationForm,
    FollowUpForm,
    FollowUpItemQuery,
    WorkStatusForm,
)
from painrehab.pathway.models import Episode, FollowUpRecord, WorkStatus
from painrehab.pathway.services.follow_up import (
    record_work_status,
    rehabilitation_ended_on,
    schedule_for,
    work_status_time_points,
    work_statuses,
)
from painrehab.pathway.states import TransitionRefused
from painrehab.programmes.selectors import follow_up_sessions
from painrehab.programmes.services import ending
from painrehab.programmes.services.ending import LowAttendance, attendance_at_end
from painrehab.steps.follow_up.services import record_follow_up


@staff_view()
def follow_up(request: StaffRequest, episode_id: int) -> HttpResponse:
    """The episode's follow-up schedule with each item's window and status; record one."""
    episode = get_episode_for_user(request.membership, episode_id, what="follow-up")
    today = timezone.localdate()
    recorded = {r.item_key: r for r in episode.follow_ups.select_related("recorded_by")}
    rows = [
        (
            item,
            window_status(
                item.window,
                today=today,
                done=getattr(recorded.get(item.key), "outcome", "") == "done",
                not_reached=getattr(recorded.get(item.key), "outcome", "")
                == "not_reached",
            ),
            recorded.get(item.key),
        )
        for item in schedule_for(episode)
    ]
    keys = [row[0].key for row in rows]
    chosen = read_query(request, FollowUpItemQuery, keys=keys)["punkt"]
    if request.method == "POST" and not chosen:
        chosen = FollowUpItemQuery(request.POST, keys=keys).values()["item_key"]
    item = next((row[0] for row in rows if row[0].key == chosen), None)
    form = FollowUpForm(
        request.POST or None,
        initial={"held_on": today, "outcome": "done"},
        asks_sick_leave=bool(item and item.work_status_time_point),
        auto_id="id_follow_up_%s",  # the sick-leave form on the page has its ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            _saved, letters, problems = record_follow_up(
                by=request.membership,
                episode=episode,
                item_key=chosen,
                **form.cleaned_data,
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The follow-up is recorded."))
            for problem in problems:
                messages.warning(request, problem)
            target = letters[0] if letters else episode
            if request.htmx:  # a new page: htmx loads it whole
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target.get_absolute_url()
                return response
            return redirect(target)
    if request.method == "POST" and request.htmx:
        # The record's form alone, with what was typed and why: the sick
        # leave being typed beside it stays.
        return render(
            request,
            "pathway/_follow_up_record.html",
            {"episode": episode, "rows": rows, "chosen": chosen, "form": form},
        )
    return _follow_up_page(request, episode, rows=rows, chosen=chosen, form=form)


# A follow-up item, its window's status and its record, if any.
ScheduleRow = tuple[FollowUp, WindowStatus, FollowUpRecord | None]


def _follow_up_page(  # noqa: PLR0913 - the page's parts, each from its own request
    request: StaffRequest,
    episode: Episode,
    *,
    rows: list[ScheduleRow] | None = None,
    chosen: str = "",
    form: FollowUpForm | None = None,
    work_form: WorkStatusForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    if rows is None:
        rows = [
            (item, window_status(item.window, today=today), None)
            for item in schedule_for(episode)
        ]
    sessions = follow_up_sessions(episode_id=episode.pk)
    with_sessions = [(*row, sessions.get(row[0].key)) for row in rows]
    work_form = work_form or _fresh_work_form(episode)
    return render(
        request,
        "pathway/follow_up.html",
        {
            "episode": episode,
            "rows": with_sessions,
            "chosen": chosen,
            "form": form,
            "ended_on": rehabilitation_ended_on(episode),
            "work_statuses": work_statuses(episode),
            "work_form": work_form,
            "may_record_follow_up": may(
                request.membership, Permission.RECORD_FOLLOW_UP
            ),
            "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
        },
        status=400 if (form is not None and form.errors) or work_form.errors else 200,
    )


@staff_view(Permission.RECORD_FOLLOW_UP)
def work_status(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Record the sick-leave degree at a time point (POST from the follow-up page)."""
    episode = get_episode_for_user(request.membership, episode_id, what="sick leave")
    if request.method != "POST":
        return redirect("pathway:follow_up", episode_id=episode.pk)
    work_form = WorkStatusForm(
        request.POST, time_points=work_status_time_points(episode)
    )
    if work_form.is_valid():
        try:
            record_work_status(
                by=request.membership, episode=episode, **work_form.cleaned_data
            )
        except TransitionRefused as refusal:
            work_form.add_error(None, refusal.message)
        else:
            if request.htmx:  # the sick leave alone: a follow-up being typed stays
                return render(
                    request,
                    "pathway/_follow_up_sick_leave.html",
                    {
                        "episode": episode,
                        "work_statuses": work_statuses(episode),
                        "work_form": _fresh_work_form(episode),
                        "notice": _("The sick leave is recorded."),
                        "may_record_follow_up": True,  # the view's own permission
                    },
                )
            messages.success(request, _("The sick leave is recorded."))
            return redirect("pathway:follow_up", episode_id=episode.pk)
    if request.htmx:
        return render(
            request,
            "pathway/_follow_up_sick_leave.html",
            {
                "episode": episode,
                "work_statuses": work_statuses(episode),
                "work_form": work_form,
                "may_record_follow_up": True,  # the view's own permission
            },
        )
    return _follow_up_page(request, episode, work_form=work_form)


def _fresh_work_form(episode: Episode) -> WorkStatusForm:
    return WorkStatusForm(
        initial={
            "recorded_on": timezone.localdate(),
            "time_point": WorkStatus.TimePoint.END,
        },
        time_points=work_status_time_points(episode),
    )


@staff_view(Permission.RUN_PROGRAMME)
def end_rehabilitation(request: StaffRequest, episode_id: int) -> HttpResponse:
    """The programme or individual rehabilitation ends: the attendance is shown,
    follow-up starts and the final note is drafted."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="end of rehabilitation"
    )
    attendance = attendance_at_end(episode=episode, today=timezone.localdate())
    error: StrOrPromise = ""
    form = EndRehabilitationForm(request.POST or None)
    if form.is_bound and not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    elif form.is_bound:
        try:
            letter, problem = ending.end_rehabilitation(
                by=request.membership,
                episode=episode,
                note=form.cleaned_data["note"],
                confirmed=form.cleaned_data["confirm_low_attendance"],
            )
        except LowAttendance:
            error = _(
                "Attendance is low. Tick the box to end the rehabilitation all the same."
            )
        except TransitionRefused as refusal:
            error = refusal.message
        else:
            if letter is None:
                messages.warning(request, problem)
                return redirect(episode)
            messages.success(
                request, _("Rehabilitation has ended; the final note is drafted.")
            )
            return redirect(letter)
    return render(
        request,
        "pathway/end_rehabilitation.html",
        {
            "episode": episode,
            "attendance": attendance,
            "to_come": ending.appointments_to_come(episode=episode, now=timezone.now()),
            "error": error,
            "note": form.data.get("note", ""),
        },
        status=400 if error else 200,
    )
