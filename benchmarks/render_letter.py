"""Time rendering of one-page letters: 100 letters, each to a different patient.

Run from the repository root: `.venv/bin/python benchmarks/render_letter.py`.
Prints the first (cold) letter and the median over the rest in milliseconds.
"""

import datetime
import statistics
import time

from painrehab.documents.render import Letterhead, Recipient, render_letter_pdf

LETTERS = 100

UNIT = Letterhead(
    unit_name="Smärtrehabilitering Södersjukhuset",
    address_lines=("Sjukhusbacken 10", "118 83 Stockholm"),
    phone="08-616 10 00",
)
BODY = """Hej {name}!

Du är välkommen till ett nybesök hos vårt team för bedömning av din långvariga
smärta. Besöket tar cirka två timmar och du träffar läkare, fysioterapeut och
psykolog.

Ta med:
- en lista över dina läkemedel
- ifyllda frågeformulär (HADS, PDI, EQ-5D)

Tid: tisdag {day} oktober kl. 09.00–11.00
Plats: Rehabmottagningen, plan 3

Om du behöver tolk, kontakta oss senast en vecka före besöket."""


def render_one(number: int) -> float:
    name = f"Åsa Öberg {number}"
    start = time.perf_counter()
    render_letter_pdf(
        letterhead=UNIT,
        recipient=Recipient(name=name, address_lines=(f"Storgatan {number}",)),
        date=datetime.date(2025, 10, 1),
        subject="Kallelse till nybesök",
        body=BODY.format(name=name, day=1 + number % 28),
        signature="Anna Andersson\nLeg. fysioterapeut",
        reference=f"PR-2025-{number:04d}",
    )
    return (time.perf_counter() - start) * 1000


def main() -> None:
    timings = [render_one(number) for number in range(LETTERS)]
    print(f"first letter (cold): {timings[0]:.1f} ms")
    print(
        f"median over {LETTERS - 1} further letters: "
        f"{statistics.median(timings[1:]):.1f} ms per letter "
        f"(slowest {max(timings[1:]):.1f} ms)"
    )


if __name__ == "__main__":
    main()
