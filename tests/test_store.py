"""The progress store appends, never rewrites, survives kill -9 and concurrent writers."""
from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from workbook.quiz import ProgressStore, StoreError
from workbook.quiz._store import SCHEMA_VERSION


def test_record_and_read_back(store):
    """An attempt comes back with its response, verdict, context and time."""
    store.record("02-a", [0, 2], correct=False, context="chapter 02", fingerprint="abc")
    store.record("02-a", [1], correct=True)
    attempts = store.attempts("02-a")
    assert [(a.response, a.correct) for a in attempts] == [([0, 2], False), ([1], True)]
    assert attempts[0].context == "chapter 02" and attempts[0].answered_at.tzinfo is not None
    assert store.latest()["02-a"].correct


def test_attempts_are_append_only(store):
    """The database itself refuses to update or delete an attempt."""
    store.record("02-a", 1, correct=True)
    conn = sqlite3.connect(store.path)
    for sql in ("UPDATE attempts SET correct = 0", "DELETE FROM attempts"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()
    assert len(store.attempts()) == 1


def test_learners_are_separate(tmp_path):
    """Two learners sharing a file see only their own answers unless asked for all."""
    path = tmp_path / "p.sqlite3"
    ProgressStore(path, learner="ada").record("02-a", 1, correct=True)
    bob = ProgressStore(path, learner="bob")
    assert bob.attempts() == [] and len(bob.attempts(all_learners=True)) == 1


def test_clock_is_injectable(tmp_path):
    """The store takes its time from an injectable clock."""
    when = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    s = ProgressStore(tmp_path / "p.sqlite3", learner="ada", clock=lambda: when)
    assert s.record("02-a", 1, correct=True).answered_at == when == s.attempts()[0].answered_at


def test_default_location_follows_workbook_home(tmp_path, monkeypatch):
    """WORKBOOK_HOME moves the store; WORKBOOK_LEARNER names the learner."""
    monkeypatch.setenv("WORKBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WORKBOOK_LEARNER", "grace")
    s = ProgressStore()
    assert s.path == tmp_path / "home" / "progress.sqlite3" and s.learner == "grace"


def test_schema_version_is_recorded(store):
    """A new store carries the current schema version."""
    store.record("02-a", 1, correct=True)
    assert sqlite3.connect(store.path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_store_is_refused_without_damage(tmp_path):
    """A store from a newer workbook is refused with a clear message and left untouched."""
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer workbook"):
        ProgressStore(path, learner="ada").record("02-a", 1, correct=True)
    assert path.read_bytes() == before


def test_corrupt_file_is_reported_not_reset(tmp_path):
    """A file that is not a database gives a clear error, is kept as it is, and a backup is made."""
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged"):
        ProgressStore(path, learner="ada").record("02-a", 1, correct=True)
    assert path.read_bytes() == b"this is not sqlite" * 100
    [backup] = tmp_path.glob("p-damaged-*.sqlite3.bak")
    assert backup.read_bytes() == path.read_bytes()


def test_damaged_pages_are_detected(tmp_path):
    """A database whose pages were overwritten fails the integrity check instead of being used."""
    path = tmp_path / "p.sqlite3"
    store = ProgressStore(path, learner="ada")
    for i in range(300):
        store.record(f"02-q{i}", "x" * 200, correct=True)
    store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    data[8192:16384] = b"\xff" * 8192  # scribble over pages 3 and 4
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        ProgressStore(path, learner="ada").attempts()
    assert list(tmp_path.glob("p-damaged-*.sqlite3.bak"))


def test_version_1_store_migrates_without_loss(tmp_path):
    """A store written by schema version 1 opens in this version with every attempt intact."""
    from workbook.quiz._store import _MIGRATIONS, _split_sql

    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _split_sql(_MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO attempts (learner, question_id, response, correct, answered_at) "
                 "VALUES ('ada', '02-a', '1', 1, '2026-01-01T00:00:00+00:00')")
    conn.close()
    store = ProgressStore(path, learner="ada")
    assert [a.question_id for a in store.attempts()] == ["02-a"]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_backup_and_reset_keeps_everything(store):
    """Resetting moves the store aside as a complete backup; a new store starts empty."""
    store.record("02-a", 1, correct=True)
    backup = store.backup_and_reset()
    assert backup.exists() and not store.path.exists()
    assert len(ProgressStore(backup, learner="ada").attempts()) == 1
    assert store.attempts() == []


WRITER = textwrap.dedent("""
    import sys
    from workbook.quiz import ProgressStore
    store = ProgressStore(sys.argv[1], learner=sys.argv[2])
    i = 0
    while True:
        store.record(f"02-q{i % 7}", i, correct=i % 2 == 0)
        print(i, flush=True)  # printed only after the commit returned
        i += 1
""")


def _writer(path, learner):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), learner], stdout=subprocess.PIPE, text=True)


def _read_until(proc, n):
    last = -1
    while last < n:
        last = int(proc.stdout.readline())
    return last


def test_kill_9_loses_nothing_committed(tmp_path):
    """Killing a writer with SIGKILL mid-stream keeps every attempt it reported committed."""
    path = tmp_path / "p.sqlite3"
    proc = _writer(path, "ada")
    committed = _read_until(proc, 200)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = ProgressStore(path, learner="ada")
    responses = [a.response for a in store.attempts()]
    assert responses[: committed + 1] == list(range(committed + 1))
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_writers_at_once(tmp_path):
    """Two processes (two kernels) writing at the same time both keep every answer."""
    path = tmp_path / "p.sqlite3"
    procs = [_writer(path, name) for name in ("ada", "bob")]
    counts = [_read_until(p, 150) for p in procs]
    time.sleep(0.2)
    for p in procs:
        p.kill()
        p.wait()
    for name, n in zip(("ada", "bob"), counts):
        got = [a.response for a in ProgressStore(path, learner=name).attempts()]
        assert got[: n + 1] == list(range(n + 1))
