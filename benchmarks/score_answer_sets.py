"""Throughput of the questionnaire scoring engine.

Scores 1,000,000 synthetic answer sets spread evenly over every registered
instrument (about 1 in 10 with one unanswered item) and prints answer sets
per second. Answer sets are generated in chunks before timing, so only
scoring is timed.

    .venv/bin/python benchmarks/score_answer_sets.py [--total N] [--seed S]
"""

import argparse
import random
import time

from painrehab.questionnaires.scoring import CODES, definition, score

CHUNK = 100_000
MISSING_SHARE = 0.1


def option_table(code: str) -> list[tuple[int, list]]:
    """(item number, option values) for each scored item of `code`."""
    return [
        (item.number, [option.value for option in item.options])
        for item in definition(code).items
        if item.is_scored
    ]


def synthetic_chunk(
    rng: random.Random, tables: dict[str, list[tuple[int, list]]], size: int
) -> list[tuple[str, dict]]:
    codes = list(tables)
    chunk = []
    for index in range(size):
        code = codes[index % len(codes)]
        answers = {number: rng.choice(values) for number, values in tables[code]}
        if rng.random() < MISSING_SHARE:
            answers[rng.choice(list(answers))] = None
        chunk.append((code, answers))
    return chunk


def run(total: int, seed: int) -> float:
    """Score `total` answer sets; return the scoring time in seconds."""
    # bandit B311: synthetic answers
    rng = random.Random(seed)  # nosec B311
    tables = {code: option_table(code) for code in CODES}
    elapsed = 0.0
    scored = 0
    while scored < total:
        chunk = synthetic_chunk(rng, tables, min(CHUNK, total - scored))
        started = time.perf_counter()
        for code, answers in chunk:
            score(code, answers)
        elapsed += time.perf_counter() - started
        scored += len(chunk)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20251124)
    args = parser.parse_args()
    elapsed = run(args.total, args.seed)
    print(f"instruments: {len(CODES)}")
    print(f"answer sets scored: {args.total:,}")
    print(f"scoring time: {elapsed:.2f} s")
    print(f"throughput: {args.total / elapsed:,.0f} answer sets per second")


if __name__ == "__main__":
    main()
