"""An import is all or nothing: a process killed inside its transaction leaves the previous version, and readers
querying while it commits see the old data or the new, never a mix."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from builders.workbooks import assert_same_tables, commit_file, snapshot, workbook_2020

from cruscotto import pipeline, store

ROOT = Path(__file__).resolve().parent.parent

# Runs an import and stops for ever inside its transaction, right after every table and the version record were
# written and before COMMIT (versions.record is the last step before it): the parent kills it there.
IMPORT_THEN_HANG = textwrap.dedent("""
    import sys, time
    from cruscotto import pipeline, store
    from cruscotto.store import versions
    original = versions.record

    def record_then_hang(*args, **kwargs):
        original(*args, **kwargs)
        print("DENTRO_LA_TRANSAZIONE", flush=True)
        time.sleep(600)

    versions.record = record_then_hang
    con = store.connect(sys.argv[1])
    pipeline.import_bytes(con, open(sys.argv[2], "rb").read(), "relazione_2020.xlsx", utente="processo ucciso")
""")


def test_a_process_killed_during_an_import_leaves_the_previous_version(db_path, tmp_path):
    con = store.connect(db_path)
    before, version = snapshot(con), store.data_version(con)
    con.close()
    workbook = tmp_path / "relazione_2020.xlsx"
    workbook.write_bytes(workbook_2020())
    child = subprocess.Popen([sys.executable, "-c", IMPORT_THEN_HANG, str(db_path), str(workbook)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()  # blocks until the child is inside the transaction (or dies)
        assert line.strip() == "DENTRO_LA_TRANSAZIONE", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    con = store.connect(db_path)
    try:
        assert store.data_version(con) == version
        assert_same_tables(before, snapshot(con))
        # and the store still works: the same import now succeeds
        assert commit_file(con, workbook.read_bytes(), "relazione_2020.xlsx") == version + 1
    finally:
        con.close()


# One statement reading several tables, the version record and the tables derived from the rows (valuation, grado
# rolled up): its snapshot must be one version or the other.
CONSISTENCY = """
SELECT (SELECT max(versione) FROM versioni),
       (SELECT count(*) FROM obiettivi),
       (SELECT count(*) FROM indicatori),
       (SELECT count(*) FROM serie_storiche),
       (SELECT count(*) FROM storia.indicatori WHERE versione_a IS NULL),
       (SELECT count(*) FROM int_valutazione),
       (SELECT count(*) FROM int_grado_nodi)
"""


def test_readers_during_a_commit_see_old_or_new_never_a_mix(con):
    old = con.execute(CONSISTENCY).fetchone()
    data = workbook_2020()
    start, done = threading.Barrier(21), threading.Event()
    seen: list[list[tuple]] = [[] for _ in range(20)]
    errors: list[BaseException] = []

    def reader(i: int) -> None:
        cur = con.cursor()  # each thread its own cursor, as the app's pages do
        try:
            start.wait()
            while True:
                finished = done.is_set()
                seen[i].append(cur.execute(CONSISTENCY).fetchone())
                if finished:
                    break  # one more read after the commit
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            cur.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    start.wait()
    try:
        commit_file(con, data, "relazione_2020.xlsx")
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert not errors, errors
    new = con.execute(CONSISTENCY).fetchone()
    assert new[0] == old[0] + 1 and new != old
    for results in seen:
        assert results and set(results) <= {old, new}, set(results) - {old, new}
        assert results[-1] == new  # every reader sees the new version once the commit is done
