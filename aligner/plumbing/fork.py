"""Running a function in a forked child process while the caller goes on with other work.

Used where a long document's work splits in two (Chinese tokenising,
`features.build_sides`; the two halves of the DP, `search.strategy._solve`). A fork
shares the parent's memory (features, lexicon), so nothing is pickled on the way in;
only the result comes back through a pipe. Elsewhere than Linux, inside a multiprocessing.Pool
worker, or when not wanted, the function runs in-process when its result is asked
for: the result is the same either way.

The child must not outlive its parent: a parent killed (SIGTERM, SIGKILL, the OOM
killer) can no longer end it, and an orphaned child went on for 16 s on the Bible x8,
growing, then printed a BrokenPipeError traceback. On Linux the kernel kills it when
the parent dies (prctl PR_SET_PDEATHSIG; strictly, when the thread that called
`run_aside` ends, so call it from the thread that waits for the result), and it never
prints a traceback.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from typing import Callable, TypeVar

from aligner.plumbing.process import hold_signals, release_signals

T = TypeVar("T")


def run_aside(fn: Callable[[], T], parallel: bool = True) -> Callable[[], T]:
    """Start `fn()` in a child process (if `parallel` and a fork is safe); return a function
    that waits for and returns its result, re-raising the child's exception."""
    if not parallel or not _can_fork():
        return fn
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    # Ctrl-C held through the fork: arriving while the fork's hooks run (logging's lock
    # release), the KeyboardInterrupt of cli.main's handler was printed as "Exception
    # ignored" with a traceback, not raised. It is handled once the child is started.
    held = hold_signals()
    try:
        child = ctx.Process(target=_child, args=(fn, send, recv, os.getpid(), held), daemon=True)
        child.start()
    finally:
        release_signals(held)
    send.close()

    def result() -> T:
        try:
            ok, value = recv.recv()
        except EOFError:
            raise RuntimeError(f"worker process ended without a result (exit code {child.exitcode})") from None
        except BaseException:
            # Ctrl-C while waiting: the child may be blocked writing its result into the
            # pipe, and would never end; it is ours, so end it
            child.kill()
            raise
        finally:
            recv.close()
            child.join()
        if not ok:
            raise value
        return value

    return result


def _can_fork() -> bool:
    # Linux only: macOS has fork, but forking a process that has loaded system
    # frameworks is unsafe there (why Python's default start method is spawn on macOS).
    # A multiprocessing.Pool worker is a daemon, which may not start children.
    return sys.platform.startswith("linux") and not multiprocessing.current_process().daemon


def _child(fn: Callable[[], object], send, recv, parent: int, held: set | None) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent reports Ctrl-C, once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (cli.main)
    release_signals(held)  # the mask the parent held through the fork (run_aside)
    recv.close()  # the parent's end: if the parent is gone, writing fails instead of blocking
    try:
        out = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        out = (False, exc)
    try:
        send.send(out)
        send.close()
    except BaseException:  # noqa: BLE001 - the parent is gone (broken pipe), or the result
        os._exit(1)  # would not pickle: the parent reports "ended without a result"


# linux/prctl.h
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel send SIGKILL to this process when its parent ends (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the broken pipe still ends the child later
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
