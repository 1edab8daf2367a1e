"""The rehabilitation plan as a document (seed 1 §7.4): rendered once when
the patient signs it and kept as signed, so a goal added later never appears
in the plan the patient put their name to.

The document is Swedish whatever the language of the screen, like letters.
"""

import hashlib
from datetime import date

from painrehab.documents.render import Letterhead, Section, render_document_pdf
from painrehab.pathway.models import RehabPlan


def render_plan_pdf(plan: RehabPlan, *, today: date) -> bytes:
    """The plan's current content as PDF bytes (a draft until it is signed)."""
    episode = plan.episode
    unit = episode.unit
    rows = [["Yrkesgrupp", "Mål", "Mått", "Senast", "Ansvarig"]] + [
        [
            goal.get_profession_display(),
            goal.description,
            goal.measure,
            f"{goal.target_date:%Y-%m-%d}",
            goal.owner.get_full_name() or str(goal.owner),
        ]
        for goal in plan.goals.select_related("owner")
    ]
    signed = (
        f"{plan.get_signature_display()} {plan.signed_on:%Y-%m-%d}"
        if plan.is_signed
        else "Utkast – ännu inte undertecknad av patienten"
    )
    sections: list[Section] = [
        (
            "Patient",
            f"{episode.patient.full_name}, {episode.patient.formatted_personnummer}",
        ),
        ("Mina värderingar", plan.values or "–"),
        ("Övergripande mål", plan.overall_goal or "–"),
        ("Delmål", "", rows),
        ("Rehabiliteringsform", str(plan.get_track_display())),
        ("Underskrift", signed),
    ]
    return render_document_pdf(
        letterhead=Letterhead(
            unit_name=unit.name,
            address_lines=unit.letterhead_address.splitlines(),
            phone=unit.phone,
        ),
        title="Rehabiliteringsplan",
        sections=sections,
        date=plan.signed_on or today,
    )


def checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
