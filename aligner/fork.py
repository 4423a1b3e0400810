"""Running a function in a forked child process while the caller goes on with other work.

Used where a long document's work splits into two independent halves (the two
directions of the DP, `align._run`). A fork shares the parent's memory (features,
lexicon), so nothing is pickled on the way in; only the result comes back through a
pipe. Where fork is unavailable (Windows), not allowed (inside a multiprocessing.Pool
worker) or not wanted, the function runs in-process
when its result is asked for: the result is the same either way.
"""

from __future__ import annotations

import multiprocessing
import signal
from typing import Callable, TypeVar

T = TypeVar("T")


def run_aside(fn: Callable[[], T], parallel: bool = True) -> Callable[[], T]:
    """Start `fn()` in a child process (if `parallel` and fork exists); return a function
    that waits for and returns its result, re-raising the child's exception."""
    if (not parallel or "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon):  # a pool's worker may not have children
        return fn
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(fn, send), daemon=True)
    child.start()
    send.close()

    def result() -> T:
        try:
            ok, value = recv.recv()
        except EOFError:
            raise RuntimeError(f"worker process ended without a result (exit code {child.exitcode})") from None
        finally:
            recv.close()
            child.join()
        if not ok:
            raise value
        return value

    return result


def _child(fn: Callable[[], object], send) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent reports Ctrl-C, once
    try:
        out = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        out = (False, exc)
    send.send(out)
    send.close()
