"""Helpers for the store fault tests: a real read-only folder or a real full disk when this machine allows it
(a tmpfs or a read-only bind mount, as root), otherwise the same failure as DuckDB and the OS report it, simulated.

Each helper says which one it used, so that a test run shows whether the real case ran; CRUSCOTTO_TEST_SIMULA=1
forces the simulated one (to check it on a machine that can mount).
"""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cruscotto import store
from cruscotto.store import versions


def _mount(*args) -> bool:
    if os.environ.get("CRUSCOTTO_TEST_SIMULA") or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextmanager
def read_only_copy(source: Path, folder: Path, monkeypatch):
    """A copy of the store `source` in a read-only folder; yields (path, how) with how = "vero" or "simulato"."""
    inside = folder / "dentro"
    inside.mkdir(parents=True)
    shutil.copy(source, inside / source.name)
    view = folder / "sola_lettura"
    view.mkdir()
    path = view / source.name
    if os.geteuid() != 0 and not os.environ.get("CRUSCOTTO_TEST_SIMULA"):  # an ordinary user: permissions suffice
        os.chmod(inside / source.name, 0o444)
        os.chmod(inside, 0o555)
        path = inside / source.name
        try:
            yield path, "vero"
        finally:
            os.chmod(inside, 0o755)
        return
    if _mount("--bind", str(inside), str(view)):
        if _mount("-o", "remount,bind,ro", str(view)):
            try:
                yield path, "vero"
            finally:
                _umount(view)
            return
        _umount(view)
    # root without mount (a container): DuckDB's own messages for a read-only file, simulated at the same place
    path = inside / source.name
    real_connect = duckdb.connect

    def connect(database=":memory:", read_only=False, **kwargs):
        if str(database) == str(path) and not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Read-only file system')
        return real_connect(database, read_only=read_only, **kwargs)

    real_archive = versions.archive

    def archive(con, data, file_name, sha256):
        if versions.database_file(con) == path:
            raise OSError(errno.EROFS, "Read-only file system", str(versions.archive_dir(con)))
        return real_archive(con, data, file_name, sha256)

    monkeypatch.setattr(store.duckdb, "connect", connect)
    monkeypatch.setattr(versions, "archive", archive)
    yield path, "simulato"


@contextmanager
def full_disk_copy(source: Path, folder: Path, monkeypatch, free_bytes: int = 64 * 1024):
    """A copy of the store `source` on a disk with only `free_bytes` left: enough for the archived file, not for
    the transaction. Yields (path, how)."""
    disk = folder / "disco"
    disk.mkdir(parents=True)
    size_mb = source.stat().st_size // 2**20 + 4
    if _mount("-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(disk)):
        try:
            shutil.copy(source, disk / source.name)
            _fill(disk / "riempitivo", free_bytes)
            yield disk / source.name, "vero"
        finally:
            _umount(disk)
        return
    path = disk / source.name
    shutil.copy(source, path)
    real_record = versions.record

    def record(cur, *args, **kwargs):  # the point where DuckDB's COMMIT would find the disk full
        if versions.database_file(cur) == path:
            raise duckdb.TransactionException(
                f'TransactionContext Error: Failed to commit: Could not write file "{path}.wal": No space left on device')
        return real_record(cur, *args, **kwargs)

    monkeypatch.setattr(versions, "record", record)
    yield path, "simulato"


def _fill(path: Path, leave: int) -> None:
    """Fill the disk holding `path`, then give back `leave` bytes."""
    with open(path, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            pass
    os.truncate(path, max(0, path.stat().st_size - leave))


@contextmanager
def holder(path: Path):
    """Another process holding the store read-write (as the app does), until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('aperto', flush=True)\n"
                               "time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "aperto"
        yield process.pid
    finally:
        process.kill()
        process.wait()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and modification time (ns)."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}
