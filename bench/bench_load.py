"""Benchmark 8: many people at once (issue 15, point 4). N simulated users move through every page of the app while
one more user imports the next year's report, and one real Chromium times a page switch until drawn meanwhile.

    .venv/bin/python bench/bench_load.py [--utenti 0,10,30] [--durata 60] [--import-dopo 20] [--pausa 2]
                                         [--pagine-per-sessione 6] [--dataset 1x] [--no-browser]
                                         [--pagine panoramica,andamenti,…] [--senza-importazione]

With 0 users the import and the browser run alone, for comparison. The results go to the section «carico» of
bench/RESULTS.md («carico_DATASET» for another data set). The runs on the national data set so far left «Carica dati»
and the import out (--pagine, --senza-importazione): the page then took minutes by itself (the preview of a rollback,
computed at every run; now only when a version to restore is chosen).

Why the protocol and not thirty browsers: thirty Chromium tabs on the same two cores measure the browsers, not the
server (a first try gave 51 s median page loads). Each simulated user speaks Streamlit's own websocket protocol, as
the browser's JavaScript does: it connects to /_stcore/stream, sends a BackMsg `rerun_script` naming the page, reads
the ForwardMsgs until `script_finished`, and keeps (like the browser) the cacheable messages it received so that the
server may send references to them. Page time = BackMsg sent → script_finished of the run that ends it. It draws
nothing: what a person waits for on top of that is the browser's drawing, which the one real Chromium measures.

Each user opens the app, then goes to another page every `--pausa` seconds (0,5-1,5 ×, random), every page of
ui/pages_spec.py in turn from a random first one, and opens the app anew (a new session: a link opened again) every
`--pagine-per-sessione` pages. It sends no widget state and no query string: it never touches a filter, so the
sidebar shows the defaults (the latest year), or the year the session had before an import added a new one.

The import goes through the app, as a person does it on «Carica dati» (a second process could not write: the server
holds the DuckDB file), at the protocol level too: the file uploader's upload URL (file_urls_request), an HTTP PUT of
the file, a rerun with the uploader's state (pipeline.check, preview), then a rerun with «Conferma il caricamento»
pressed (pipeline.commit: one transaction), answered by «Caricato …: ora i dati sono alla versione N».

Readers never see a half-written import, checked as follows. Before the load, and again after it, a fresh session
opens every page for every year the sidebar offers (query string `anno=…`), twice: the elements both runs draw alike
are the references of the data before (old) and after (new) the import, keyed by page and year, element by element
(position in the page → a fingerprint of what it shows: text, table data, figure, label and options of a widget; the
random id of a table's style and the address of an Excel download, which holds the time of the export, or
the id of a file built on click, new on every run, left out).
Each page a user received is then compared, element by element, with the references of its page and of the year its
sidebar shows (the option the browser shows: the one the server last sent, kept by the tab between runs): elements equal before and after tell nothing; every other element must be the old one or the new one,
and all of them the same one. A page is «vecchia», «nuova», «indistinguibile» (nothing there changed), «mista» (old
and new elements in one page: read across the commit) or «sconosciuta» (an element that is neither: a half-written
import, an element computed from two versions, or a page that draws differently each time; it is written out beside
the two references in bench/out/carico_log/sconosciute.txt). A page that finished before the confirmation was sent must be
old; one that started after the import's answer must be new. The check is checked once per run: a page made of the
old sidebar and the new content must come out «mista».

Errors: an exception element, an error alert, a run that ends with a compile error, a disconnection, no answer
within 120 s. Server memory: VmHWM of the `streamlit run` process, and the peak resident memory of it and its child
processes (the parsing sandbox), sampled every 0,5 s from /proc. The server runs on 127.0.0.1 against a copy of the
data set's store in bench/out/, never data/cruscotto.duckdb, in local single-user mode (no login).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import http.cookiejar
import os
import random
import resource
import shutil
import statistics
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from common import DATASETS, OUT, ROOT, dataset, it, load, write_section

sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]
import harness  # noqa: E402  tests/e2e/harness.py: the server on a free port, chromium, a page switch until drawn
import websockets  # noqa: E402  installed with streamlit (its server's websocket library), pinned in requirements-dev.txt
from builders.workbooks import workbook_2020  # noqa: E402  the 2019 report moved to 2020: a valid next-year file
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from cruscotto.store import versions  # noqa: E402
from ui.pages_spec import PAGES as ALL_PAGES  # noqa: E402

PAGES = ALL_PAGES  # the pages the users go through: all of them, or those of --pagine

GOAL_P95_S, GOAL_MB = 2.0, 1024  # issue 15: 30 concurrent sessions, p95 page time <= 2 s, server <= 1 GB
ANSWER_TIMEOUT_S = 120
COLD_START_TIMEOUT_S = 900
AFTER_IMPORT_S = 20
YEAR_LABEL = "Anno della relazione"  # the sidebar's year (ui/filters.py)
IMPORT_FILE = "relazione_2020.xlsx"
CONFIRM = "Conferma il caricamento"  # pages/carica_dati.py


# ------------------------------------------------------------------------------------------- one session, protocol

@dataclass
class Answer:
    """One page as a user received it: when, how long, what it shows (delta path -> fingerprint), what went wrong."""
    page: str
    started: float  # time.monotonic()
    finished: float
    shown: dict[tuple, str]
    year: int | None
    problems: list[str]
    first: bool = False  # the first page of a session (the app opened anew)

    @property
    def ms(self) -> float:
        return (self.finished - self.started) * 1000


class Session:
    """A browser tab, at the protocol level: one websocket, one Streamlit session."""

    def __init__(self, url: str, timeout: float = ANSWER_TIMEOUT_S):
        self.url, self.timeout = url, timeout
        self.ws = None
        self.session_id = ""
        self.cache: dict[str, ForwardMsg] = {}  # what the browser keeps of cacheable messages (forward_msg_cache.py)
        self.last: dict[tuple, Element] = {}
        self.chosen: dict[str, str] = {}  # selectbox id -> the option it shows, kept between runs as the browser does

    async def __aenter__(self) -> "Session":
        self.ws = await websockets.connect(self.url.replace("http", "ws", 1) + "/_stcore/stream", max_size=None,
                                           ping_interval=None, open_timeout=ANSWER_TIMEOUT_S)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def send(self, message: BackMsg) -> None:
        await self.ws.send(message.SerializeToString())

    async def receive(self) -> ForwardMsg:
        message = ForwardMsg.FromString(await asyncio.wait_for(self.ws.recv(), self.timeout))
        if message.WhichOneof("type") == "ref_hash":  # the server refers to a message this tab already holds
            resolved = ForwardMsg()
            resolved.CopyFrom(self.cache[message.ref_hash])
            resolved.metadata.CopyFrom(message.metadata)
            return resolved
        if message.metadata.cacheable:
            self.cache[message.hash] = message
        return message

    async def open(self, page: str, query: str = "", widgets=(), first: bool = False) -> Answer:
        """Ask for `page` (its url path; "" = the default page) and read until its run ends."""
        request = BackMsg()
        rerun = request.rerun_script
        rerun.page_name, rerun.query_string = page, query
        rerun.context_info.timezone, rerun.context_info.locale = "Europe/Rome", "it-IT"
        rerun.cached_message_hashes.extend(self.cache)
        rerun.widget_states.widgets.extend(widgets)
        started = time.monotonic()
        await self.send(request)
        elements: dict[tuple, Element] = {}
        problems: list[str] = []
        while True:
            message = await self.receive()
            kind = message.WhichOneof("type")
            if kind == "new_session":  # a run begins: the page is drawn again from nothing
                self.session_id = message.new_session.initialize.session_id or self.session_id
                elements = {}
            elif kind == "delta":
                path, delta = tuple(message.metadata.delta_path), message.delta
                if delta.WhichOneof("type") == "new_element":
                    elements[path] = delta.new_element
                elif delta.WhichOneof("type") == "add_block":
                    holder = Element()
                    holder.markdown.body = "[blocco] " + delta.add_block.SerializeToString(deterministic=True).hex()
                    elements[path] = holder
            elif kind == "page_not_found":
                problems.append(f"pagina non trovata: {message.page_not_found.page_name}")
            elif kind == "script_finished":
                if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun or a newer request: the run that follows ends the answer
                if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problems.append("errore di compilazione dello script")
                break
        finished = time.monotonic()
        for element in elements.values():
            if element.WhichOneof("type") == "selectbox":
                self.show_choice(element.selectbox)
        self.last = elements
        problems += [problem for problem in map(problem_of, elements.values()) if problem]
        return Answer(page, started, finished, {p: fingerprint(e) for p, e in elements.items()}, year_of(elements),
                      problems, first)

    def show_choice(self, box) -> None:
        """Write into `box` the option this tab shows, as the browser decides it. The server sends the value
        (set_value) only when it sets or resets it; otherwise the browser keeps the one it showed before. So a
        session that stayed on 2019 after the import added 2020 receives the year selectbox with the options
        [2020, 2019], the default index 0 and no value, and shows 2019 (as the page's data line says): reading the
        default there took it for a page of 2020 (26 «sconosciute» at 08:10 on 01/12, all of them so)."""
        if box.set_value:
            self.chosen[box.id] = box.raw_value
        elif box.options:
            kept = self.chosen.get(box.id)
            box.raw_value = kept if kept in box.options else box.options[box.default]
            box.set_value = True
            self.chosen[box.id] = box.raw_value

    async def file_urls(self, name: str):
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.send(request)
        while True:
            message = await self.receive()
            if message.WhichOneof("type") == "file_urls_response":
                return message.file_urls_response.file_urls[0]


def address(spec) -> str:
    """The page name a browser sends for a page: its url path, "" for the default page (at /)."""
    return "" if spec.default else spec.url_path


SEEN: dict[str, Element] = {}  # fingerprint -> an element that has it (to show an element that is neither old nor new)


def fingerprint(element: Element) -> str:
    """What an element shows, as a hash: everything in it but what differs between two runs on the same data."""
    copy = Element()
    copy.CopyFrom(element)
    kind = copy.WhichOneof("type")
    if kind == "empty" or (kind == "html" and "<script>" in copy.html.body):
        # the document's scripts (ui/documento.py, ui/printing.py) come at a session's first run only, an empty
        # placeholder in their place at later runs (ui/page.first_run_of_session): the same page either way, and a
        # reference opens each page in a new session
        return "documento"
    if kind == "dataframe" and copy.dataframe.arrow_data.HasField("styler"):
        styler = copy.dataframe.arrow_data.styler  # pandas' Styler draws a random id into the CSS
        styler.styles = styler.styles.replace(styler.uuid, "")
        styler.uuid = ""
    elif kind == "download_button":
        copy.download_button.url = ""  # an Excel export holds the time of the export (its label holds the rows)
        copy.download_button.deferred_file_id = ""  # a file built on click: a new id on every run
    elif kind == "selectbox" and copy.selectbox.options:
        # compare the option shown (Session.show_choice wrote it in raw_value), not how the server sent it: a choice
        # seeded from the URL in a session's first run comes as set_value/raw_value, later runs send no value
        box = copy.selectbox
        if not box.set_value:
            box.raw_value = box.options[box.default]
        box.set_value, box.default = True, 0
        copy.ClearField("has_one_shot_effect")
    found = kind + ":" + hashlib.sha1(copy.SerializeToString(deterministic=True)).hexdigest()[:16]
    SEEN.setdefault(found, element)
    return found


def explain(answer: Answer, path: tuple, old: Reference | None, new: Reference | None) -> None:
    """Write the element that is neither old nor new beside the two references, in bench/out/carico_log/."""
    def text(fp):
        element = SEEN.get(fp)
        return str(element)[:20000] if element is not None else f"({fp})"

    with open(OUT / "carico_log" / "sconosciute.txt", "a", encoding="utf-8") as out:
        out.write(f"=== {time.strftime('%H:%M:%S')} {answer.page or 'pagina iniziale'} anno {answer.year}, elemento {path}\n")
        for label, fp in (("ricevuto", answer.shown.get(path, ABSENT)),
                          ("prima", old.shown.get(path, ABSENT) if old else ABSENT),
                          ("dopo", new.shown.get(path, ABSENT) if new else ABSENT)):
            out.write(f"--- {label}\n{text(fp)}\n")


def problem_of(element: Element) -> str | None:
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"eccezione: {element.exception.type}: {element.exception.message[:200]}"
    if kind == "alert" and element.alert.format == element.alert.ERROR:
        return f"messaggio d'errore: {element.alert.body[:200]}"
    return None


def year_of(elements: dict[tuple, Element]) -> int | None:
    """The year the sidebar shows (the selectbox «Anno della relazione», its option shown: Session.show_choice)."""
    for element in elements.values():
        if element.WhichOneof("type") == "selectbox" and element.selectbox.label == YEAR_LABEL:
            box = element.selectbox
            value = box.raw_value if box.set_value else (box.options[box.default] if box.options else None)
            return int(value) if value not in (None, "") else None
    return None


# ------------------------------------------------------------------------------------------- references and verdict

@dataclass
class Reference:
    shown: dict[tuple, str]    # the elements drawn alike by two fresh sessions
    unstable: set[tuple]       # positions that differed between them (left out of the comparison)


async def cold_start(url: str) -> None:
    """The first page of a new server opens the store (and may bring it up to date): not timed, waited for longer."""
    async with Session(url, timeout=COLD_START_TIMEOUT_S) as tab:
        await tab.open("")


async def offered_years(url: str) -> list[int]:
    """The years the sidebar offers now (a fresh session of the first page)."""
    async with Session(url) as tab:
        await tab.open("")
    return [int(option) for element in tab.last.values() if element.WhichOneof("type") == "selectbox"
            and element.selectbox.label == YEAR_LABEL for option in element.selectbox.options]


async def references(url: str) -> dict[tuple[str, int], Reference]:
    """Every page for every year the data have now, opened twice by fresh sessions: what is drawn alike is the
    reference. Called before the import and after it, it gives what a correct page can be: any year at the old
    version or at the new one (a session keeps its year across the import: issue 14's links keep anno and ente)."""
    refs = {}
    years = await offered_years(url)
    for spec in PAGES:
        for year in years:
            runs = []
            for _ in range(2):
                async with Session(url) as tab:
                    answer = await tab.open(address(spec), query=f"anno={year}")
                if answer.problems:
                    raise RuntimeError(f"{spec.title} ({year}): {answer.problems}")
                runs.append(answer.shown)
            a, b = runs
            unstable = {p for p in set(a) | set(b) if a.get(p) != b.get(p)}
            refs[(address(spec), year)] = Reference({p: v for p, v in a.items() if p not in unstable}, unstable)
    return refs


OLD, NEW, SAME, MIXED, UNKNOWN, UNCHECKED = "vecchia", "nuova", "indistinguibile", "mista", "sconosciuta", "non verificata"
ABSENT, NO_REFERENCE = "(assente)", object()


def verdict(shown: dict[tuple, str], old: Reference | None, new: Reference | None) -> str:
    """Old, new, the same in both, mixed, or unknown (see the module's docstring)."""
    return judged(shown, old, new)[0]


def judged(shown: dict[tuple, str], old: Reference | None, new: Reference | None) -> tuple[str, tuple | None]:
    """The verdict, and for an unknown page the position of the first element that is neither old nor new."""
    if old is None and new is None:
        return UNCHECKED, None
    unstable = (old.unstable if old else set()) | (new.unstable if new else set())
    saw_old = saw_new = False
    for path in (set(shown) | set(old.shown if old else ()) | set(new.shown if new else ())) - unstable:
        value = shown.get(path, ABSENT)
        before = old.shown.get(path, ABSENT) if old else NO_REFERENCE
        after = new.shown.get(path, ABSENT) if new else NO_REFERENCE
        if before == after and value == before:
            continue
        if value == before:
            saw_old = True
        elif value == after:
            saw_new = True
        else:
            return UNKNOWN, path
    return (MIXED if saw_old and saw_new else OLD if saw_old else NEW if saw_new else SAME), None


def check_the_check(old_refs, new_refs) -> str:
    """A page made of the old sidebar (delta path 1, …) and the new main area (0, …) must be «mista»."""
    for (page, year), old in old_refs.items():
        new = new_refs.get((page, year))
        if new is None:
            continue
        main_changed = any(old.shown.get(p) != new.shown.get(p) for p in set(old.shown) | set(new.shown) if p[0] == 0)
        side_changed = any(old.shown.get(p) != new.shown.get(p) for p in set(old.shown) | set(new.shown) if p[0] == 1)
        if main_changed and side_changed:
            composed = {p: v for p, v in old.shown.items() if p[0] != 0} | {p: v for p, v in new.shown.items() if p[0] == 0}
            return f"{page or 'pagina iniziale'} {year}: {verdict(composed, old, new)}"
    return "nessuna pagina cambia sia nella barra laterale sia nel contenuto"


# ------------------------------------------------------------------------------------------------- the import

@dataclass
class Import:
    started: float = 0.0        # upload begins
    confirmed: float = 0.0      # «Conferma il caricamento» sent
    done: float = 0.0           # the page answered after the commit
    message: str = ""
    problems: list[str] = field(default_factory=list)


def put_file(url: str, upload_url: str, name: str, data: bytes) -> None:
    """HTTP PUT of a file to the uploader's URL, with the XSRF cookie and header the browser sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(url + "/_stcore/health", timeout=ANSWER_TIMEOUT_S).read()
    token = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url + upload_url, data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token})
    with opener.open(request, timeout=ANSWER_TIMEOUT_S) as response:
        if response.status >= 300:
            raise RuntimeError(f"upload: HTTP {response.status}")


async def do_import(url: str, data: bytes, record: Import) -> None:
    """«Carica dati»: upload, check and preview, confirm (see the module's docstring)."""
    async with Session(url) as tab:
        await tab.open("carica_dati")
        uploader = next(e.file_uploader for e in tab.last.values() if e.WhichOneof("type") == "file_uploader")
        record.started = time.monotonic()
        urls = await tab.file_urls(IMPORT_FILE)
        await asyncio.to_thread(put_file, url, urls.upload_url, IMPORT_FILE, data)
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = IMPORT_FILE, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        checked = await tab.open("carica_dati", widgets=[state])
        buttons = [e.button for e in tab.last.values() if e.WhichOneof("type") == "button" and e.button.label == CONFIRM]
        if checked.problems or not buttons:
            record.problems = checked.problems or ["nessun pulsante «Conferma il caricamento» dopo il controllo"]
            return
        record.confirmed = time.monotonic()
        answer = await tab.open("carica_dati", widgets=[state, WidgetState(id=buttons[0].id, trigger_value=True)])
        record.done = time.monotonic()
        record.problems = answer.problems
        record.message = next((e.alert.body for e in tab.last.values()
                               if e.WhichOneof("type") == "alert" and e.alert.body.startswith("Caricato")), "")
        if not record.message:
            record.problems.append("nessun messaggio «Caricato …» dopo la conferma")


# ------------------------------------------------------------------------------------------------- the users

@dataclass
class Failure:
    at: float
    page: str
    what: str


class Deadline:
    """When the users stop: after --durata seconds, never while the import runs, and never before AFTER_IMPORT_S
    seconds after its answer (on a loaded machine the import may end after --durata: the new data must be read too)."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.importing = False

    def after_import(self) -> None:
        self.at = max(self.at, time.monotonic() + AFTER_IMPORT_S)
        self.importing = False

    def passed(self) -> bool:
        return not self.importing and time.monotonic() >= self.at


async def user(url: str, seed: int, until: Deadline, pause: float, per_session: int, answers: list, failures: list):
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, pause))  # not all at the same instant
    position = rng.randrange(len(PAGES))
    spec = PAGES[position]
    while not until.passed():
        try:
            async with Session(url) as tab:
                for i in range(per_session or 10**9):
                    if until.passed():
                        return
                    spec = PAGES[position % len(PAGES)]
                    position += 1
                    answers.append(await tab.open(address(spec), first=i == 0))
                    await asyncio.sleep(pause * rng.uniform(0.5, 1.5))
        except asyncio.TimeoutError:  # then open the app anew, as a person reloads a page that does not answer
            failures.append(Failure(time.monotonic(), spec.url_path, f"nessuna risposta in {ANSWER_TIMEOUT_S} s"))
        except (websockets.exceptions.WebSocketException, OSError) as exc:
            failures.append(Failure(time.monotonic(), spec.url_path, f"disconnessione: {type(exc).__name__}: {exc}"[:300]))


# ------------------------------------------------------------------------------------------------- the browser

@dataclass
class BrowserLog:
    switches: list[tuple[float, str, float]] = field(default_factory=list)  # (started, page title, ms until drawn)
    failures: list[Failure] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    error: str = ""


def browser(url: str, pause: float, log: BrowserLog) -> None:
    """One Chromium, as a person: the menu link to the next page, until the page is idle and every chart and table
    drawn (tests/e2e/harness.py switch_page), every `pause` seconds."""
    from playwright.sync_api import sync_playwright

    pages = [p for p in harness.discover_pages() if p.name in {spec.url_path for spec in PAGES}]
    try:
        with sync_playwright() as pw:
            chromium = harness.launch_browser(pw)
            context = chromium.new_context(viewport=harness.VIEWPORT, locale="it-IT", timezone_id="Europe/Rome")
            context.add_init_script(harness.INIT_SCRIPT)
            page = harness.new_page(context)
            harness.open_page(page, url)
            log.ready.set()
            position = 1
            while not log.stop.is_set():
                target = pages[position % len(pages)]
                position += 1
                started = time.monotonic()
                try:
                    log.switches.append((started, target.title, harness.switch_page(page, target)["drawn_ms"]))
                except Exception as exc:  # an error on the page, or not drawn in time: counted, then start again
                    log.failures.append(Failure(started, target.title, str(exc).splitlines()[0][:300]))
                    page.console.clear()
                    if not log.stop.is_set():
                        harness.open_page(page, url)
                log.stop.wait(pause)
            chromium.close()
    except Exception as exc:
        log.error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        log.ready.set()


# ------------------------------------------------------------------------------------------------- memory

class Memory(threading.Thread):
    """Peak resident memory of the server and its children, sampled from /proc."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_tree_mb = pid, every, 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.peak_tree_mb = max(self.peak_tree_mb, sum(rss_mb(p) for p in tree(self.pid)))


def tree(pid: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def status_mb(pid: int, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    return status_mb(pid, "VmRSS")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------------------- one run

@dataclass
class Run:
    users: int
    answers: list[Answer]
    failures: list[Failure]
    imported: Import
    verdicts: dict[str, dict[str, int]]  # window -> verdict -> pages
    violations: list[str]
    check_of_check: str
    unstable: int
    browser: BrowserLog
    peak_mb: float
    peak_tree_mb: float
    server_cpu_s: float
    client_cpu_s: float
    wall_s: float
    years_seen: dict[str, int]
    machine_load: str = field(default_factory=load)  # the machine's load average when the run ended


def fresh_store(source: Path, name: str) -> Path:
    target = OUT / f"{name}.duckdb"
    for leftover in (target, target.with_name(target.name + ".wal"), versions.manifest_path(target)):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(versions.archive_path(target), ignore_errors=True)
    shutil.copy(source, target)
    return target


def measure(source: Path, users: int, args) -> Run:
    db = fresh_store(source, f"carico_{users}")
    data = workbook_2020()
    logs = OUT / "carico_log"
    logs.mkdir(parents=True, exist_ok=True)
    with harness.StreamlitServer(harness.APP, db_path=db, log_dir=logs, extra_env=harness.LOCAL_MODE) as server:
        url = server.url
        asyncio.run(cold_start(url))
        old_refs = asyncio.run(references(url))  # also warms the caches, as a server that has been up a while
        log = BrowserLog()
        if args.browser:
            threading.Thread(target=browser, args=(url, args.pausa, log), daemon=True).start()
            log.ready.wait(180)
        memory = Memory(server.process.pid)
        memory.start()
        answers, failures, imported = [], [], Import()
        cpu_before, client_before, wall_before = cpu_seconds(server.process.pid), client_cpu(), time.monotonic()

        async def scenario():
            until = Deadline(args.durata)
            tasks = [asyncio.create_task(user(url, seed, until, args.pausa, args.pagine_per_sessione, answers, failures))
                     for seed in range(users)]
            if args.importazione:
                await asyncio.sleep(args.import_dopo)
                until.importing = True
                try:
                    await do_import(url, data, imported)
                except Exception as exc:  # said in the results, never hidden
                    imported.problems.append(f"{type(exc).__name__}: {exc}"[:300])
                until.after_import()
            while not until.passed():  # with no users, the browser alone for as long
                await asyncio.sleep(0.5)
            await asyncio.gather(*tasks)

        asyncio.run(scenario())
        wall = time.monotonic() - wall_before
        server_cpu, client_used = cpu_seconds(server.process.pid) - cpu_before, client_cpu() - client_before
        log.stop.set()
        memory.stop.set()
        peak = status_mb(server.process.pid, "VmHWM")
        new_refs = asyncio.run(references(url))
        time.sleep(1)  # let the browser thread leave its last switch
    return judge(users, answers, failures, imported, old_refs, new_refs, log, peak, memory.peak_tree_mb, server_cpu,
                 client_used, wall)


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def judge(users, answers, failures, imported, old_refs, new_refs, log, peak, peak_tree, server_cpu, client_used, wall) -> Run:
    windows: dict[str, dict[str, int]] = {}
    violations, years = [], {}
    for answer in answers:
        if answer.problems:
            failures.append(Failure(answer.started, answer.page, "; ".join(answer.problems)))
        key = (answer.page, answer.year)
        found, where = judged(answer.shown, old_refs.get(key), new_refs.get(key))
        if not imported.done:
            window = "senza importazione"
        elif answer.finished < imported.confirmed:
            window = "prima della conferma"
        elif answer.started > imported.done:
            window = "dopo la risposta dell'importazione"
        else:
            window = "durante l'importazione"
        windows.setdefault(window, {}).setdefault(found, 0)
        windows[window][found] += 1
        years[str(answer.year)] = years.get(str(answer.year), 0) + 1
        expected_bad = {MIXED, UNKNOWN, UNCHECKED} | ({NEW} if window == "prima della conferma" else set()) \
            | ({OLD} if window == "dopo la risposta dell'importazione" else set())
        if found in expected_bad:
            violations.append(f"{answer.page or 'pagina iniziale'} (anno {answer.year}, {window}): {found}"
                              + (f", all'elemento {'.'.join(map(str, where))} ({answer.shown.get(where, ABSENT).split(':')[0]})"
                                 if where else ""))
            if where:
                explain(answer, where, old_refs.get(key), new_refs.get(key))
    unstable = sum(len(r.unstable) for r in list(old_refs.values()) + list(new_refs.values()))
    return Run(users, answers, failures, imported, windows, violations, check_the_check(old_refs, new_refs), unstable,
               log, peak, peak_tree, server_cpu, client_used, wall, years)


# ------------------------------------------------------------------------------------------------- report

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def ms(values: list[float], q: float | None = None) -> str:
    """A percentile (or the maximum) in whole milliseconds, Italian style; «—» when nothing was measured."""
    if not values:
        return "—"
    return it(max(values) if q is None else pct(values, q), 0)


def cpu_per_page(run: Run) -> str:
    """Server CPU milliseconds per page served to the simulated users, Italian style; «—» with no pages."""
    return it(run.server_cpu_s * 1000 / len(run.answers), 0) if run.answers else "—"


def report(runs: list[Run], args, dataset_name: str) -> str:
    command = (f"`.venv/bin/python bench/bench_load.py --utenti {args.utenti} --durata {args.durata} --import-dopo "
               f"{args.import_dopo} --pausa {args.pausa:g} --pagine-per-sessione {args.pagine_per_sessione} "
               f"--dataset {dataset_name}" + (f" --pagine {args.pagine}" if args.pagine else "")
               + ("" if args.importazione else " --senza-importazione") + ("" if args.browser else " --no-browser") + "`")
    pages = (f"tutte le {len(PAGES)} di `ui/pages_spec.py`" if PAGES == ALL_PAGES
             else "le pagine " + ", ".join(spec.title for spec in PAGES))
    importing = (f"dopo {args.import_dopo} s un utente in più carica `{IMPORT_FILE}` (i dati spediti spostati al 2020) da "
                 "«Carica dati», sempre via protocollo: caricamento del file, controllo e anteprima, conferma" if args.importazione
                 else "nessuna importazione")
    lines = ["## 8. Molte persone insieme (issue 15, punto 4)" + ("" if dataset_name == "1x" else f": dati {dataset_name}"), "",
             f"Comando: {command}. Dati: {DATASETS[dataset_name][0]}. Per ogni N: un server nuovo (`streamlit run app.py` su "
             "una copia del database in bench/out/, modalità locale), N utenti simulati al livello del protocollo di "
             "Streamlit (websocket `/_stcore/stream`: BackMsg `rerun_script` con la pagina, ForwardMsg fino a "
             f"`script_finished`) che passano da una pagina all'altra ({pages}) "
             f"ogni {it(args.pausa, 1)} s in media e riaprono l'app ogni {args.pagine_per_sessione} pagine, per "
             f"{args.durata} s" + (f" (o fino a {AFTER_IMPORT_S} s dopo la risposta dell'importazione, se finisce più "
                                   "tardi)" if args.importazione else "") + f"; {importing}. Intanto un Chromium vero (`tests/e2e/harness.py`) passa da una pagina all'altra col menu e "
             "misura il cambio pagina fino al disegno completo. Tempo di pagina = richiesta inviata → `script_finished` "
             "(server e rete, senza il disegno nel browser).", "",
             "| utenti | pagine servite | p50 (ms) | p95 (ms) | max (ms) | p95 durante l'importazione (ms) | errori | "
             "picco RSS server (MB) | server + figli (MB) | CPU server / tempo | CPU server per pagina (ms) | "
             "browser: cambi pagina | browser p50 / p95 (ms) | obiettivi rispettati |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        times = [a.ms for a in run.answers]
        window = [a.ms for a in run.answers if run.imported.started and a.finished >= run.imported.started
                  and a.started <= (run.imported.done or a.started)]
        switches = [ms for _, _, ms in run.browser.switches]
        errors = len(run.failures) + len(run.browser.failures) + (1 if run.imported.problems else 0)
        met = (bool(times) and pct(times, 95) <= GOAL_P95_S * 1000 and errors == 0 and not run.violations
               and run.peak_mb <= GOAL_MB and run.peak_tree_mb <= GOAL_MB)
        lines.append(
            f"| {run.users} | {len(times)} | {ms(times, 50)} | {ms(times, 95)} | {ms(times)} | {ms(window, 95)} | "
            f"{errors} | {it(run.peak_mb, 0)} | {it(run.peak_tree_mb, 0)} | {it(run.server_cpu_s / run.wall_s, 2)} | "
            f"{cpu_per_page(run)} | {len(switches)} | {ms(switches, 50)} / {ms(switches, 95)} | {('sì' if met else 'no') if times else '—'} |")
    lines += ["", f"Obiettivo (issue 15): con 30 sessioni p95 ≤ {it(GOAL_P95_S, 0)} s, nessun errore, nessuna lettura di "
              f"un'importazione a metà, server ≤ 1 GB («obiettivi rispettati»: tutti insieme, con N sessioni). «CPU server / "
              "tempo» = secondi di processore del server per secondo di misura (2 = entrambi i core). «CPU server per "
              "pagina» = secondi di processore del server durante la misura / pagine servite agli utenti simulati: quanto "
              "costa al server una pagina, il numero che decide quante pagine al secondo un processo serve (comprende "
              "l'importazione e le pagine del browser, se ci sono: per confrontare due versioni del codice, "
              "`--senza-importazione --no-browser`). Con 0 utenti: l'importazione e il browser da soli, per confronto.", ""]
    for run in runs:
        imported = run.imported
        lines.append(f"**{run.users} utenti.**")
        if imported.done:
            lines.append(f"Importazione: caricamento, controllo e anteprima {it(imported.confirmed - imported.started, 1)} s, "
                         f"conferma → pagina ridisegnata dopo il salvataggio {it(imported.done - imported.confirmed, 1)} s: "
                         f"«{imported.message}».")
        if imported.problems:
            lines.append(f"Importazione non riuscita: {'; '.join(imported.problems)}.")
        verdicts = "; ".join(f"{window}: " + ", ".join(f"{name} {count}" for name, count in sorted(found.items()))
                             for window, found in run.verdicts.items())
        if run.answers:
            lines.append(f"Pagine per finestra e verdetto: {verdicts}. Anni mostrati: "
                         + ", ".join(f"{year} {count}" for year, count in sorted(run.years_seen.items())) + ". "
                         f"Elementi instabili esclusi dal confronto (diversi fra due aperture sugli stessi dati): "
                         f"{run.unstable}. Controllo del controllo (barra laterale vecchia + contenuto nuovo): "
                         f"{run.check_of_check}.")
        if run.violations:
            lines.append("Letture incoerenti: " + "; ".join(run.violations[:8]) + ("…" if len(run.violations) > 8 else "") + ".")
        failures = run.failures + run.browser.failures
        if failures:
            lines.append("Errori: " + "; ".join(f"{f.page or '—'}: {f.what}" for f in failures[:6])
                         + ("…" if len(failures) > 6 else "") + ".")
        if run.browser.error:
            lines.append(f"Browser non avviato: {run.browser.error}.")
        by_page = {}
        for a in run.answers:
            by_page.setdefault(a.page, []).append(a.ms)
        opened = [a.ms for a in run.answers if a.first]
        if run.answers:
            lines.append(
                f"Apertura dell'app (prima pagina di una sessione nuova, {len(opened)} volte): p50 {ms(opened, 50)}, p95 "
                f"{ms(opened, 95)} ms. Per pagina, p50 / p95 (ms): " + "; ".join(
                    f"{spec.url_path} {ms(by_page.get(address(spec), []), 50)} / {ms(by_page.get(address(spec), []), 95)}"
                    for spec in PAGES) + ".")
        if run.browser.switches:
            lines.append("Browser, cambio pagina fino al disegno, mediana per pagina (ms): " + "; ".join(
                f"{title} {ms([t for _, name, t in run.browser.switches if name == title], 50)}"
                for title in dict.fromkeys(name for _, name, _ in run.browser.switches)) + ".")
        lines.append(f"CPU del processo che simula gli utenti: {it(run.client_cpu_s, 1)} s su {it(run.wall_s, 0)} s "
                     f"(contende i 2 core al server, come il browser); {run.machine_load}.")
        lines.append("")
    lines.append(f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--utenti", default="0,10,30",
                        help="numeri di utenti simultanei, separati da virgole (0: l'importazione e il browser da soli)")
    parser.add_argument("--durata", type=int, default=60, help="secondi di misura per ogni numero di utenti")
    parser.add_argument("--import-dopo", type=int, default=20, help="secondi dall'inizio al caricamento del 2020")
    parser.add_argument("--pausa", type=float, default=2.0, help="secondi medi fra una pagina e la successiva")
    parser.add_argument("--pagine-per-sessione", type=int, default=6, help="pagine prima di riaprire l'app (0 = mai)")
    parser.add_argument("--dataset", default="1x", choices=sorted(DATASETS))
    parser.add_argument("--pagine", default="", help="solo queste pagine (url, separati da virgole); predefinito: tutte")
    parser.add_argument("--senza-importazione", dest="importazione", action="store_false")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    args = parser.parse_args()
    if args.pagine:
        global PAGES
        PAGES = tuple(p for p in ALL_PAGES if p.url_path in args.pagine.split(","))
    source = dataset(args.dataset)
    (OUT / "carico_log" / "sconosciute.txt").unlink(missing_ok=True)  # the elements of this run only
    runs = []
    for users in (int(n) for n in args.utenti.split(",")):
        run = measure(source, users, args)
        runs.append(run)
        times = [a.ms for a in run.answers]
        print(f"{users} utenti: {len(times)} pagine, p50 {ms(times, 50)} ms, p95 {ms(times, 95)} ms, "
              f"errori {len(run.failures)}, browser {len(run.browser.switches)} cambi ({len(run.browser.failures)} errori), "
              f"RSS {run.peak_mb:.0f}/{run.peak_tree_mb:.0f} MB, CPU server {run.server_cpu_s:.1f} s "
              f"({cpu_per_page(run)} ms per pagina), verdetti {run.verdicts}, import {run.imported}",
              file=sys.stderr)
        for v in run.violations[:20]:
            print("  ", v, file=sys.stderr)
    write_section("carico" if args.dataset == "1x" else f"carico_{args.dataset}", report(runs, args, args.dataset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
