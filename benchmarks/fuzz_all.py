"""The large fuzz run: every form and filter with the "large" hypothesis profile,
and the JSON API's schemathesis test, with the number of inputs tried.

    .venv/bin/python benchmarks/fuzz_all.py            # SQLite, a few minutes
    PAINREHAB_DB_HOST=… PAINREHAB_DB_PORT=… .venv/bin/python benchmarks/fuzz_all.py

Writes the counts to /tmp/fuzz-all.json and prints them; exits non-zero if any
test failed (every failure in full in /tmp/fuzz-failures.txt).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.gettempdir())  # /tmp here
COUNTS = TMP / "fuzz-counts.json"
FAILURES = TMP / "fuzz-failures.txt"
SCHEMATHESIS = "painrehab/interop/tests/test_api_schemathesis.py"


def main() -> int:
    for stale in (COUNTS, FAILURES):
        stale.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PAINREHAB_FUZZ_PROFILE": os.environ.get("PAINREHAB_FUZZ_PROFILE", "large"),
        "PAINREHAB_FUZZ_COUNTS": str(COUNTS),
        "PAINREHAB_FUZZ_FAILURES": str(FAILURES),
    }
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:logging",
         "tests/fuzz", SCHEMATHESIS],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = round(time.monotonic() - started)
    forms = json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
    api = re.search(r"schemathesis: (\d+) cases over (\d+) operations", run.stdout)
    result = {
        "profile": env["PAINREHAB_FUZZ_PROFILE"],
        "seconds": seconds,
        "form_inputs": sum(v for k, v in forms.items() if not k.startswith("value:")),
        "by_kind": forms,
        "api_cases": int(api[1]) if api else None,
        "api_operations": int(api[2]) if api else None,
        "passed": run.returncode == 0,
    }
    (TMP / "fuzz-all.json").write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if run.returncode:
        sys.stdout.write(run.stdout[-4000:])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
