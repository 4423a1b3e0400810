"""Process-level settings the aligner adjusts: the garbage collector, the CPUs it may use,
signals held through a step that must not be cut in two."""

from __future__ import annotations

import gc
import os
import signal
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (and back on after).

    Aligning allocates millions of small objects (tokens, their lists and sets) and makes
    no reference cycles worth collecting, but every full collection scans them all
    (docs/decisions.md). Forked workers then also leave the parent's pages unwritten (no
    copy-on-write for the collector's bookkeeping).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def usable_cpus() -> int:
    """CPUs this process may run on (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def hold_signals() -> set | None:
    """Block Ctrl-C and SIGTERM (their handlers run when released), where the platform
    can; returns the mask to restore (`release_signals`)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)


def release_signals(previous: set | None) -> None:
    """Restore the signal mask `hold_signals` returned: a signal that came meanwhile is handled now."""
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
