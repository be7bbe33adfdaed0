"""The progress store: every answer a learner gives, in a local SQLite file.

* Where: ``$WORKBOOK_HOME/progress.sqlite3`` if ``WORKBOOK_HOME`` is set, else the per-user
  data folder of your OS (``platformdirs``), e.g. ``~/.local/share/mlops-workbook`` on Linux.
* Attempts are appended, never rewritten: triggers in the database refuse UPDATE and DELETE.
* Safe with several kernels open: WAL journal, a busy timeout, one short transaction per write.
* Durable: a write returns only after its transaction is committed and synced, so killing
  the process afterwards loses nothing.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "mlops-workbook"
DB_NAME = "progress.sqlite3"
SCHEMA_VERSION = 2

# Migration n brings a store from version n to n + 1. Never edit a released migration.
_MIGRATIONS = [
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        learner TEXT NOT NULL,
        question_id TEXT NOT NULL,
        response TEXT NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        context TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL DEFAULT '',
        answered_at TEXT NOT NULL
    );
    CREATE INDEX attempts_by_question ON attempts (learner, question_id, id);
    CREATE TRIGGER attempts_append_only_update BEFORE UPDATE ON attempts
        BEGIN SELECT RAISE(ABORT, 'attempts are append-only'); END;
    CREATE TRIGGER attempts_append_only_delete BEFORE DELETE ON attempts
        BEGIN SELECT RAISE(ABORT, 'attempts are append-only'); END;
    """,
    # 2: spaced-repetition cards (a cache rebuilt from attempts) and mock exams as event logs.
    """
    CREATE TABLE cards (
        learner TEXT NOT NULL,
        question_id TEXT NOT NULL,
        card TEXT NOT NULL,
        due TEXT NOT NULL,
        retention REAL NOT NULL,
        last_attempt_id INTEGER NOT NULL,
        PRIMARY KEY (learner, question_id)
    );
    CREATE TABLE exams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        learner TEXT NOT NULL,
        question_ids TEXT NOT NULL,
        duration_s INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        blueprint_version TEXT NOT NULL,
        started_at TEXT NOT NULL
    );
    CREATE TABLE exam_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        exam_id INTEGER NOT NULL REFERENCES exams (id),
        kind TEXT NOT NULL CHECK (kind IN ('answer', 'clear', 'flag', 'unflag', 'submit')),
        question_id TEXT,
        payload TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX exam_events_by_exam ON exam_events (exam_id, id);
    CREATE TRIGGER exam_events_append_only_update BEFORE UPDATE ON exam_events
        BEGIN SELECT RAISE(ABORT, 'exam events are append-only'); END;
    CREATE TRIGGER exam_events_append_only_delete BEFORE DELETE ON exam_events
        BEGIN SELECT RAISE(ABORT, 'exam events are append-only'); END;
    CREATE TRIGGER exams_append_only_delete BEFORE DELETE ON exams
        BEGIN SELECT RAISE(ABORT, 'exams are kept'); END;
    """,
]
assert len(_MIGRATIONS) == SCHEMA_VERSION


class StoreError(RuntimeError):
    """The progress store cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Attempt:
    """One recorded answer."""

    id: int
    learner: str
    question_id: str
    response: object
    correct: bool
    context: str
    fingerprint: str
    answered_at: dt.datetime


def default_home() -> Path:
    """The folder of the progress store: ``$WORKBOOK_HOME`` or the OS's per-user data folder."""
    env = os.environ.get("WORKBOOK_HOME")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_learner() -> str:
    """The learner's name: ``$WORKBOOK_LEARNER`` or the login name."""
    return os.environ.get("WORKBOOK_LEARNER") or getpass.getuser()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class ProgressStore:
    """Append-only record of answers.

    Args:
        path: the SQLite file; default ``default_home() / "progress.sqlite3"``.
        learner: whose answers these are; default :func:`default_learner`.
        clock: returns the current time (injectable for tests).

    >>> import tempfile, pathlib
    >>> store = ProgressStore(pathlib.Path(tempfile.mkdtemp()) / "p.sqlite3", learner="ada")
    >>> store.record("02-x", 1, correct=True).question_id
    '02-x'
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        learner: str | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
    ):
        self.path = Path(path) if path else default_home() / DB_NAME
        self.learner = learner or default_learner()
        self.clock = clock
        self._conn: sqlite3.Connection | None = None

    # -- connection -------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        existed = self.path.exists() and self.path.stat().st_size > 0
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            if existed and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            self._migrate(conn)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            backup = self._keep_corrupt_copy() if existed else None
            kept = f" A copy is kept at {backup}." if backup else ""
            raise StoreError(
                f"The progress store {self.path} is damaged and cannot be read ({exc}). Nothing was written "
                f"to it.{kept} Run `workbook reset-progress` to move it aside and start a new store, or set "
                "WORKBOOK_HOME to use another folder."
            ) from exc
        self._conn = conn
        return conn

    def _keep_corrupt_copy(self) -> Path:
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}-damaged-{stamp}{self.path.suffix}.bak")
        if not backup.exists():
            shutil.copy2(self.path, backup)
        return backup

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The progress store {self.path} was written by a newer workbook (schema {version}, "
                f"this one knows {SCHEMA_VERSION}). Update the workbook; your answers are untouched."
            )
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            for number in range(version, SCHEMA_VERSION):
                for statement in _split_sql(_MIGRATIONS[number]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection (created, migrated and checked on first use)."""
        return self._connect()

    def close(self) -> None:
        """Close the connection (it reopens on the next call)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def backup_and_reset(self) -> Path | None:
        """Move the store to ``progress-<UTC time>.sqlite3.bak`` beside it; return that path.

        Nothing is deleted: the backup is a complete SQLite file that can be opened or restored.
        """
        if not self.path.exists():
            return None
        try:
            self._connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except StoreError:
            pass  # a damaged store is moved aside as it is
        self.close()
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}-{stamp}{self.path.suffix}.bak")
        self.path.rename(backup)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return backup

    # -- writing ----------------------------------------------------------------
    def record(
        self,
        question_id: str,
        response: object,
        *,
        correct: bool,
        context: str = "",
        fingerprint: str = "",
    ) -> Attempt:
        """Append one attempt and return it once it is committed to disk."""
        answered_at = self.clock()
        conn = self._connect()
        cur = conn.execute(
            "INSERT INTO attempts (learner, question_id, response, correct, context, fingerprint, answered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.learner, question_id, json.dumps(response), int(correct), context, fingerprint,
             answered_at.isoformat()),
        )
        return Attempt(cur.lastrowid, self.learner, question_id, response, bool(correct), context, fingerprint,
                       answered_at)

    # -- reading ----------------------------------------------------------------
    def attempts(self, question_id: str | None = None, *, all_learners: bool = False) -> list[Attempt]:
        """Every attempt, oldest first, optionally for one question."""
        if not self.path.exists():
            return []
        sql = "SELECT id, learner, question_id, response, correct, context, fingerprint, answered_at FROM attempts"
        where, args = [], []
        if not all_learners:
            where.append("learner = ?")
            args.append(self.learner)
        if question_id is not None:
            where.append("question_id = ?")
            args.append(question_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._connect().execute(sql + " ORDER BY id", args).fetchall()
        return [
            Attempt(r[0], r[1], r[2], json.loads(r[3]), bool(r[4]), r[5], r[6], dt.datetime.fromisoformat(r[7]))
            for r in rows
        ]

    def latest(self) -> dict[str, Attempt]:
        """The most recent attempt of each question this learner answered."""
        return {a.question_id: a for a in self.attempts()}


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
