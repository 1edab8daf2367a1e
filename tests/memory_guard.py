"""Stops the run with the test's name when the test process grows past a
limit, instead of letting the machine's OOM killer end it without a word.

One earlier CI run was killed at 24 GB while another run of the same commit
peaked at 0.5 GB; this guard names the test and prints every thread's stack
if it happens again. The limit is PAINREHAB_TEST_MEMORY_LIMIT_MB (default
6,000 MB); 0 turns the guard off.
"""

import faulthandler
import os
import sys
import threading

import pytest

LIMIT_MB = int(os.environ.get("PAINREHAB_TEST_MEMORY_LIMIT_MB", "6000"))
_running = {"test": "(before the first test)"}


def resident_mb() -> int:
    """This process's resident memory in MB, from /proc (0 where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return 0
    return 0


def _watch(limit_mb: int, stop: threading.Event, config: pytest.Config) -> None:
    while not stop.wait(0.5):
        used = resident_mb()
        if used > limit_mb:
            capture = config.pluginmanager.getplugin("capturemanager")
            if capture is not None:  # write to the real stderr, not the capture
                capture.suspend_global_capture(in_=False)
            sys.stderr.write(
                f"\nmemory guard: the test process uses {used} MB (limit "
                f"{limit_mb} MB) during {_running['test']}; stacks follow\n"
            )
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
            sys.stderr.flush()
            os._exit(3)


def pytest_configure(config: pytest.Config) -> None:
    if LIMIT_MB > 0:
        stop = threading.Event()
        config.stash[_STOP] = stop
        threading.Thread(
            target=_watch,
            args=(LIMIT_MB, stop, config),
            name="memory-guard",
            daemon=True,
        ).start()


def pytest_unconfigure(config: pytest.Config) -> None:
    stop = config.stash.get(_STOP, None)
    if stop is not None:
        stop.set()


def pytest_runtest_logstart(nodeid: str, location: object) -> None:
    _running["test"] = nodeid


_STOP = pytest.StashKey[threading.Event]()
