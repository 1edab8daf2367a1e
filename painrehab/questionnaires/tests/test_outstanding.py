from datetime import date

from painrehab.pathway.models import Episode
from painrehab.pathway.states import DischargeReason, State
from painrehab.questionnaires.models import QuestionnaireRequest


def test_a_discharged_episodes_unanswered_forms_leave_the_worklist(
    client_for, coordinator, sent
):
    QuestionnaireRequest.objects.filter(pk=sent.request.pk).update(
        status=QuestionnaireRequest.Status.EXPIRED, expires_on=date(2026, 2, 1)
    )
    client = client_for(coordinator)
    before = client.get("/").content.decode()
    assert "<strong>1</strong> försenade" in before
    assert f"/formular/utskick/{sent.request.pk}/" in before
    Episode.objects.filter(pk=sent.request.episode_id).update(
        state=State.DISCHARGED,
        closed_on=date(2026, 3, 1),
        discharge_reason=DischargeReason.COMPLETED,
    )
    after = client.get("/").content.decode()
    assert "<strong>0</strong> försenade" in after
    assert f"/formular/utskick/{sent.request.pk}/" not in after
    assert not QuestionnaireRequest.objects.outstanding().exists()
    listing = client.get("/formular/utestaende/").content.decode()
    assert "Andersson, Anna" not in listing
