"""Running a function in a child process with a memory cap and a time limit.

Why: the spreadsheet parsers (calamine, openpyxl) allocate whatever a file asks for. reader.py refuses the attacks it
knows before parsing; this is the net for the ones it does not: whatever the parser does, the worst case is a dead
child and an Italian refusal, never a dead server.

The child comes from a 'forkserver' (never a plain fork: the Streamlit server is multi-threaded, and forking a
multi-threaded process can deadlock the child). The fork server is started once, with pandas and the reader already
imported, so each run costs a fork, not a fresh interpreter (bench/bench_attack.py measures it): on first use, or
before, in the background, by `warm` (the upload page and the command line's import call it, through
pipeline.prepare_reading, so that the first upload does not wait ≈0,8 s for it).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import resource
import threading
import traceback
from multiprocessing import forkserver, spawn

log = logging.getLogger(__name__)

MEMORY_BYTES = 1 << 30  # address space of the child (RLIMIT_AS): what it starts with (~0,4 GB) plus what it may allocate
SECONDS = 20  # wall-clock time of one run

# imported once by the fork server, inherited by every child
_PRELOAD = ["cruscotto.ingest.reader", "cruscotto.ingest.xlsx_guard", "fastexcel"]
_CHILD_NAME = "cruscotto-sandbox"
_context = None
_context_lock = threading.Lock()


class LimitExceeded(Exception):
    """The child was stopped: `kind` is 'memory' (allocation refused or the child killed), or 'time'."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def run(function, *args, memory_bytes: int = MEMORY_BYTES, seconds: float = SECONDS):
    """`function(*args)` in a child process. Returns its result; re-raises the exception it raised (a picklable
    one), or raises LimitExceeded when the child ran out of memory or time or died. `function` and the result must
    be picklable (a module-level function)."""
    context = _fork_server()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, memory_bytes, seconds), daemon=True,
                            name=_CHILD_NAME)
    child.start()
    sender.close()  # else the receiver never sees end-of-file when the child dies
    try:
        if not receiver.poll(seconds):
            log.warning("child %s stopped after %s s", child.pid, seconds)
            child.kill()
            raise LimitExceeded("time")
        try:
            status, value = receiver.recv()
        except (EOFError, OSError):  # the child died without a word: a native abort or the kernel
            child.join(5)
            log.warning("child %s died, exit code %s", child.pid, child.exitcode)
            raise LimitExceeded("memory") from None
    finally:
        receiver.close()
        child.join(5)  # it ends once it has sent its answer; if it does not, or ran out of time, it is ended
        if child.is_alive():
            child.kill()
            child.join()
    if status == "ok":
        return value
    if status == "memory":
        raise LimitExceeded("memory")
    raise value


def warm() -> None:
    """Start the fork server now and return at once: it imports pandas and the reader (≈0,8 s) while the caller goes
    on, so that the first file read does not wait for it. Nothing if it runs already."""
    _fork_server()
    forkserver.ensure_running()


def _fork_server():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            spawn.get_preparation_data = _without_main(spawn.get_preparation_data)
            _context = context
        return _context


def _without_main(get_preparation_data):
    """multiprocessing makes each child import the parent's __main__ first. Under Streamlit, while a page runs,
    __main__ is that page's script: the child would run the app. Our children need nothing from __main__ (the
    function they run lives in a module), so for them it is left out; other processes are untouched."""
    def preparation_data(name):
        data = get_preparation_data(name)
        if name == _CHILD_NAME:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    return preparation_data


def _child(sender, function, args, memory_bytes: int, seconds: float) -> None:
    # Nothing the parser prints (a native "memory allocation failed", a warning) may reach a user's terminal.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a 1 GB core file
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = int(seconds) + 5  # a backstop should the parent be gone: the kernel ends a child spinning on the CPU
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    try:
        outcome = ("ok", function(*args))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent, which decides
        exc.add_note(traceback.format_exc())  # for the parent's log: the traceback itself does not travel
        outcome = ("raised", _picklable(exc))
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - an exception type that cannot travel: its text can
        return RuntimeError(f"{type(exc).__name__}: {exc}")
