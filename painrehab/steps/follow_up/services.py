"""Recording a follow-up item, with the summary letters it drafts, in one transaction."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.windows import AFTER_DISCHARGE, FollowUp
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for
from painrehab.pathway.models import Episode, FollowUpRecord
from painrehab.pathway.services.follow_up import (
    item_of,
    mark_follow_up_due,
    record_work_status,
)
from painrehab.pathway.services.transitions import ensure_open
from painrehab.pathway.states import TransitionRefused


def record_follow_up(
    *,
    by: Membership,
    episode: Episode,
    item_key: str,
    outcome: str,
    held_on: date,
    mode: str = "",
    maintenance_plan_completed: bool = False,
    setbacks: str = "",
    contacts_needed: str = "",
    note: str = "",
    team_summary: str = "",
    summary_to_forsakringskassan: bool = False,
    sick_leave_percent: int | None = None,
) -> tuple[FollowUpRecord, list[Letter], list[str]]:
    """Record one follow-up item as done or not reached; it leaves the worklist.

    A done on-site or individual follow-up drafts the summary to the referrer
    (and, with the patient's consent, to Försäkringskassan). An item that
    measures sick leave (KRT's 3-month follow-up) needs the degree when done;
    it is stored as that time point's WorkStatus in the same transaction."""
    item = _item_to_record(
        by=by,
        episode=episode,
        item_key=item_key,
        outcome=outcome,
        held_on=held_on,
        sick_leave_percent=sick_leave_percent,
    )
    measures_sick_leave = (
        item.work_status_time_point and outcome == FollowUpRecord.Outcome.DONE
    )
    with transaction.atomic():
        saved = FollowUpRecord.objects.create(
            episode=episode,
            item_key=item_key,
            outcome=outcome,
            held_on=held_on,
            mode=mode,
            maintenance_plan_completed=maintenance_plan_completed,
            setbacks=setbacks,
            contacts_needed=contacts_needed,
            note=note,
            team_summary=team_summary,
            recorded_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=saved,
            what=f"follow-up {item_key}",
        )
        mark_follow_up_due(episode_id=episode.pk, item_key=item_key, outcome=outcome)
        if measures_sick_leave and sick_leave_percent is not None:  # None refused above
            record_work_status(
                by=by,
                episode=episode,
                time_point=item.work_status_time_point,
                sick_leave_percent=sick_leave_percent,
                recorded_on=held_on,
            )
        drafts = draft_letters_for(
            by=by,
            episode=episode,
            kinds=_summaries(
                item_key=item_key,
                outcome=outcome,
                to_forsakringskassan=summary_to_forsakringskassan,
            ),
            extra={"follow_up": saved},
        )
    return saved, drafts.letters, drafts.problems


def _item_to_record(
    *,
    by: Membership,
    episode: Episode,
    item_key: str,
    outcome: str,
    held_on: date,
    sick_leave_percent: int | None,
) -> FollowUp:
    """The schedule's item, or a refusal: no right, a closed episode (but for
    the items after discharge), off schedule, in the future, recorded already,
    or a sick-leave measure without its degree."""
    if Permission.RECORD_FOLLOW_UP not in by.permissions:
        raise TransitionRefused(
            _("Your profession in this unit may not record follow-ups.")
        )
    if item_key not in AFTER_DISCHARGE:  # the 12-month items outlive discharge
        ensure_open(episode)
    item = item_of(episode, item_key)
    if item is None:
        raise TransitionRefused(_("This follow-up is not in the episode's schedule."))
    measures_sick_leave = (
        item.work_status_time_point and outcome == FollowUpRecord.Outcome.DONE
    )
    if measures_sick_leave and sick_leave_percent is None:
        raise TransitionRefused(_("Record the sick-leave degree at this follow-up."))
    if held_on > timezone.localdate():
        raise TransitionRefused(_("The date cannot be in the future."))
    if FollowUpRecord.objects.filter(episode=episode, item_key=item_key).exists():
        raise TransitionRefused(_("This follow-up is already recorded."))
    return item


def _summaries(*, item_key: str, outcome: str, to_forsakringskassan: bool) -> list[str]:
    """A done on-site or individual follow-up is summarised to the referrer,
    and with the patient's consent to Försäkringskassan."""
    summarised = item_key in {
        "on_site_3_4_months",
        "individual_3_4_months",
        "krt_psychologist_3_months",
    }
    if outcome != FollowUpRecord.Outcome.DONE or not summarised:
        return []
    kinds: list[str] = [LetterKind.FOLLOW_UP_SUMMARY]
    if to_forsakringskassan:
        kinds.append(LetterKind.FOLLOW_UP_SUMMARY_FK)
    return kinds
