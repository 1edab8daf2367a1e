"""EpisodeOfCare <- pathway.Episode. R4B models validate the R4 export."""

from fhir.resources.R4B.episodeofcare import EpisodeOfCare

from painrehab.interop.fhir.ids import patient_ref
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State

STATUS_BY_STATE: dict[str, str] = {
    State.REFERRAL_RECEIVED: "planned",
    State.TRIAGED: "waitlist",
    State.WAITING_NEW_VISIT: "waitlist",
    State.NEW_VISIT: "active",
    State.TEAM_INVESTIGATION: "active",
    State.ASSESSMENT_CONFERENCE: "active",
    State.PLANNING_MEETING: "active",
    State.PREPARATION: "active",
    State.GROUP_PROGRAMME: "active",
    State.INDIVIDUAL_REHABILITATION: "active",
    State.FOLLOW_UP: "active",
    State.DISCHARGED: "finished",
}


def episode_to_episode_of_care(episode: Episode) -> EpisodeOfCare:
    transitions = list(episode.transitions.all())
    history = []
    for this, following in zip(transitions, transitions[1:] + [None], strict=True):
        step = {"start": this.at.isoformat()}
        if following is not None:
            step["end"] = following.at.isoformat()
        history.append({"status": STATUS_BY_STATE[this.to_state], "period": step})
    period: dict = {"start": episode.opened_on.isoformat()}
    if episode.closed_on:
        period["end"] = episode.closed_on.isoformat()
    data: dict = {
        "id": f"episode-{episode.pk}",
        "status": STATUS_BY_STATE[episode.state],
        "patient": patient_ref(episode.patient_id),
        "period": period,
        "type": [{"text": episode.get_state_display()}],
    }
    if history:
        data["statusHistory"] = history
    referral = getattr(episode, "referral", None)
    if referral is not None:
        data["referralRequest"] = [
            {"reference": f"ServiceRequest/referral-{referral.pk}"}
        ]
    return EpisodeOfCare.model_validate(data)
