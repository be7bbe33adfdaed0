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
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "mlops-workbook"
DB_NAME = "progress.sqlite3"
SCHEMA_VERSION = 1

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
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self._migrate(conn)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"The progress store {self.path} cannot be read ({exc}). It has been left untouched; "
                "move it aside to start a new one, or set WORKBOOK_HOME to use another folder."
            ) from exc
        self._conn = conn
        return conn

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
        conn = self._connect()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
