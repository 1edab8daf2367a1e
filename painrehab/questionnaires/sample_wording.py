"""Synthetic wording for tests and the demo clinic: our own placeholder sentences, never an
instrument's licensed text. `sample_yaml` writes a complete wording file for
any licensed instrument from its definition; `install_sample_wordings` puts
one in use for a unit, so that its packages can be sent."""

from collections.abc import Iterable

from django.utils import timezone

from painrehab.accounts.models import CareUnit, User
from painrehab.questionnaires import wording
from painrehab.questionnaires.models import LicensedWording
from painrehab.questionnaires.scoring import CODES, definition

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def sample_yaml(code: str, *, version: str = "Exempelversion 1") -> str:
    """A complete wording file of synthetic text for `code`."""
    instrument = definition(code)
    lines = [
        f"instrument: {code}",
        f"version: {version}",
        "copyright: Exempeltext för test, ingen licensierad text",
        "instructions: |",
        "  Exempelinstruktion: läs varje exempelfråga och välj ett exempelsvar.",
        "items:",
    ]
    for item in instrument.items:
        lines += [
            f"  - item: {item.number}",
            f"    text: Exempelfråga {item.number} om ett påhittat ämne",
        ]
        kind = wording.kind_of(item)
        if kind == "choice":
            lines.append("    options:")
            for position, option in enumerate(item.options):
                lines += [
                    f"      - value: {option.value}",
                    f"        label: Exempelsvar {LETTERS[position]}",
                ]
        elif kind == "number":
            lines += [
                "    anchors:",
                f"      - value: {item.options[0].value}",
                "        label: Lägsta exempelvärde",
                f"      - value: {item.options[-1].value}",
                "        label: Högsta exempelvärde",
            ]
    return "\n".join(lines) + "\n"


def install_sample_wordings(
    *, unit: CareUnit, user: User, codes: Iterable[str] | None = None
) -> dict[str, int]:
    """Put a synthetic wording in use for each licensed instrument of `codes`
    (every licensed instrument by default) that the unit has none of;
    {code: wording id} of those installed."""
    installed: dict[str, int] = {}
    worded = set(
        LicensedWording.objects.filter(unit=unit).values_list("code", flat=True)
    )
    for code in codes or CODES:
        instrument = definition(code)
        if not instrument.licensed_text or code in worded:
            continue
        checked = wording.read_wording(
            sample_yaml(code).encode(), instrument=instrument
        )
        now = timezone.now()
        row = LicensedWording.objects.create(
            unit=unit,
            code=code,
            number=1,
            label=checked.label,
            instructions=checked.instructions,
            items=checked.as_json(),
            copyright_line=checked.copyright_line,
            checksum="0" * 64,
            status=LicensedWording.Status.ACTIVE,
            loaded_by=user,
            loaded_at=now,
            activated_by=user,
            activated_at=now,
        )
        installed[code] = row.pk
    return installed
