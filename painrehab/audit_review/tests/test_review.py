"""The log review: a filtered list keeps its filters from page to page."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

from painrehab.audit.models import AuditEvent
from painrehab.audit.services import Action, record

PAGE_SIZE = 100


def _pager_link(response, arrow: str) -> str:  # noqa: ANN001
    """The address of the pager's link whose text holds `arrow` ("‹" or "›"),
    as the browser follows it from the page."""
    pager = response.content.decode().split('class="pager"')[1].split("</nav>")[0]
    found = re.search(r'<a href="([^"]*)"[^>]*>[^<]*' + arrow, pager)
    assert found, pager
    return urljoin(response.wsgi_request.get_full_path(), html.unescape(found[1]))


def _events(*, by, unit, patient_id: int, count: int) -> None:  # noqa: ANN001
    for _ in range(count):
        record(
            by=by.user,
            unit=unit,
            action=Action.VIEW,
            patients=[patient_id],
            what="patient page",
        )


def test_the_next_page_of_a_filtered_log_keeps_every_filter(
    client_for, coordinator, physician, patient_a, unit_a, travel, today
):
    from painrehab.patients.tests.factories import PatientFactory

    other_patient = PatientFactory.create(unit=unit_a)
    travel(today - timedelta(days=30))  # before the period chosen
    _events(by=physician, unit=unit_a, patient_id=patient_a.pk, count=5)
    travel(today)
    _events(by=physician, unit=unit_a, patient_id=patient_a.pk, count=PAGE_SIZE + 30)
    _events(by=coordinator, unit=unit_a, patient_id=patient_a.pk, count=120)
    _events(by=physician, unit=unit_a, patient_id=other_patient.pk, count=120)
    start = today - timedelta(days=7)
    typed = patient_a.personnummer[:8] + "-" + patient_a.personnummer[8:]
    filters = {
        "user": str(physician.user_id),
        "patient": typed,
        "start": start.isoformat(),
        "end": today.isoformat(),
    }
    client = client_for(coordinator)

    first = client.get("/logg/", filters)
    assert first.status_code == 200
    assert len(first.context["page"]) == PAGE_SIZE

    second = client.get(_pager_link(first, "›"))
    assert second.status_code == 200
    events = list(second.context["page"])
    assert second.context["page"].number == 2
    assert len(events) == 30  # the rest of the filtered list, nothing else
    assert {e.actor_id for e in events} == {physician.user_id}
    assert {p.patient_id for e in events for p in e.patients.all()} == {patient_a.pk}
    assert all(e.at.date() >= start for e in events)
    form = second.context["form"]
    assert form.is_valid()
    assert form.cleaned_data["user"] == str(physician.user_id)
    assert form.cleaned_data["patient"] == patient_a.personnummer
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (start, today)
    page_html = second.content.decode()
    assert f'<option value="{physician.user_id}" selected>' in page_html
    assert f'value="{patient_a.personnummer}"' in page_html
    assert f'value="{start.isoformat()}"' in page_html

    back = parse_qs(urlsplit(_pager_link(second, "‹")).query)
    assert back == {
        "user": [str(physician.user_id)],
        "patient": [patient_a.personnummer],
        "start": [start.isoformat()],
        "end": [today.isoformat()],
        "page": ["1"],
    }
    assert client.get(_pager_link(second, "‹")).context["page"].number == 1


def test_the_log_review_asks_as_many_queries_for_ten_rows_as_for_a_full_page(
    client_for, coordinator, physician, patient_a, unit_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/logg/", {"user": physician.user_id})
        assert response.status_code == 200
        return len(queries)

    _events(by=physician, unit=unit_a, patient_id=patient_a.pk, count=10)
    few = queries_for_a_page()
    _events(by=physician, unit=unit_a, patient_id=patient_a.pk, count=3 * PAGE_SIZE)
    assert AuditEvent.objects.filter(actor_id=physician.user_id).count() == 310
    assert queries_for_a_page() == few
