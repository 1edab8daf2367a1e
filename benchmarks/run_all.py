"""The whole benchmark suite in one command; the figures of docs/benchmarks.md.

    make benchmarks                                   # the full run, about 15 min
    .venv/bin/python benchmarks/run_all.py --quick    # the same steps, small, ~8 min

One throwaway PostgreSQL cluster holds the scaled demo clinic (100,000
patients, ten years) for the server times and the analytics timings; the load,
fault and fuzz steps start their own. `--data-dir` reuses a cluster kept by
`server_times.py --keep` instead of loading the clinic again. Each step's
figures go to a JSON file in --out, its printout to a .log beside it; the
summary is printed at the end. Exits 1 if any step failed its check (a screen
over the bar counts).
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from harness import ROOT, TMP, existing_cluster, postgres_cluster

HERE = Path(__file__).resolve().parent


def step(name: str, command: list[str], out: Path, env: dict | None = None) -> dict:
    """Run one benchmark script; keep its printout; return its outcome."""
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    with (out / f"{name}.log").open("w") as log:
        code = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    seconds = round(time.monotonic() - started)
    print(f"   exit {code} after {seconds} s; printout in {out / name}.log", flush=True)
    return {"step": name, "exit": code, "seconds": seconds}


def script(name: str, *args: str) -> list[str]:
    return [sys.executable, str(HERE / name), *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it")
    parser.add_argument("--out", type=Path, default=TMP / "painrehab-benchmarks")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="a cluster kept by server_times.py --keep (no reload)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    patients, requests = ("2000", "20") if args.quick else ("100000", "200")
    load_users = ["--users", "20", "--patients", "100"] if args.quick else []
    outcomes = []
    clinic = existing_cluster(args.data_dir) if args.data_dir else postgres_cluster()
    with clinic as cluster:
        outcomes.append(step(
            "server_times",
            script("server_times.py", "--patients", patients, "--requests", requests,
                   "--warm-up", "10", "--json", str(args.out / "server_times.json")),
            args.out, cluster.env,
        ))  # fmt: skip
        outcomes.append(step(
            "analytics_report", script("analytics_report.py"), args.out, cluster.env
        ))  # fmt: skip
    outcomes.append(step(
        "load_patients",
        script("load_patients.py", "--think", "2,6", "--spawn-rate", "5", *load_users,
               "--out", str(args.out / "load_patients.json")),
        args.out,
    ))  # fmt: skip
    outcomes.append(step(
        "fault_kill_app_server",
        script("fault_kill_app_server.py", "--out", str(args.out / "fault_kill.json")),
        args.out,
    ))  # fmt: skip
    outcomes.append(step(
        "fault_restart_postgres",
        script("fault_restart_postgres.py", "--out", str(args.out / "fault_pg.json")),
        args.out,
    ))  # fmt: skip
    outcomes.append(step("fuzz_all", script("fuzz_all.py"), args.out))
    (args.out / "summary.json").write_text(json.dumps(outcomes, indent=2))
    print(json.dumps(outcomes, indent=2))
    return 0 if all(o["exit"] == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
