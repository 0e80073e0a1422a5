"""Engines, sessions and migrations: SQLite by default, any SQLAlchemy URL (PostgreSQL) alike.

Every ORM write goes through a `PasisSession`, whose flush hooks fill in Upplagd/Ändrad and write
an audit entry (who, when, what, before/after) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, insert, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.errors import PasisError

#: How long a write waits for another writer's lock before it gives up, on both backends
#: (SQLite's busy timeout, PostgreSQL's lock_timeout).
LOCK_TIMEOUT_MS = 5000
SQLITE_BUSY_TIMEOUT_MS = LOCK_TIMEOUT_MS
#: PostgreSQL's statement_timeout: far above any real statement (publishing a year takes
#: seconds), low enough that nothing hangs for ever.
STATEMENT_TIMEOUT_MS = 300_000
#: The execution option that tells the `begin` event what kind of transaction a connection runs.
TRANSACTION = "pasis_transaction"
READ = "read"
WRITE = "write"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")

DB_NEWER = (
    "Databasen har ett nyare schema ({revision}) än programmet känner till. "
    "Uppgradera pasis-tui innan du öppnar den."
)
DB_BAD_URL = "Ogiltig databas: {url}"
DB_BROKEN_REFERENCES = (
    "Uppgraderingen avbröts: databasen har rader som pekar på rader som inte finns. "
    "Inget ändrades; kontakta support."
)
DB_NO_HISTORY = (
    "Databasen har Pasis-tabeller men ingen migreringshistorik (tabellen alembic_version "
    "saknas), så programmet vet inte vilket schema den har och rör den inte. Är det en "
    "demodatabas: bygg om den med `pasis demo --db …`. Annars: ta en säkerhetskopia och börja "
    "med en ny databas (en annan --db)."
)
DB_READ_ONLY_FILE = (
    "Databasfilen {path} är skrivskyddad; Pasis behöver kunna skriva i den. "
    "Ge skrivrätt (chmod u+w) eller öppna en kopia."
)
DB_READ_ONLY_DIR = (
    "Mappen {path} är skrivskyddad; SQLite behöver skapa sina -wal- och -shm-filer bredvid "
    "databasen. Ge skrivrätt i mappen eller flytta databasen."
)
DB_LOCKED = "databasen är låst av någon annan och blev inte ledig inom {seconds} s ({reason})"
DB_LOCKED_ACTION = (
    "Databasen är låst av någon annan och blev inte ledig inom {seconds} s: åtgärden gjordes "
    "inte. Försök igen."
)
DB_TOO_SLOW = "databasen svarade inte inom {seconds} s ({reason})"
#: PostgreSQL's SQLSTATEs for "gave up waiting for a lock" (lock_timeout) and a deadlock.
_PG_LOCKED = {"55P03", "40P01"}
_PG_QUERY_CANCELED = "57014"


def database_url(path_or_url: str) -> str:
    """An SQLAlchemy URL from `--db`: a URL as it is, a plain path as an SQLite file."""
    if "://" in path_or_url:
        try:
            make_url(path_or_url).get_dialect()
        except (ArgumentError, NoSuchModuleError, ValueError):
            raise PasisError(DB_BAD_URL.format(url=path_or_url), field="db") from None
        return path_or_url
    path = Path(path_or_url).expanduser().resolve()
    return f"sqlite:///{path}"


def make_engine(url: str, *, echo: bool = False, lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> Engine:
    """An engine whose reads never wait for a writer and whose writes wait `lock_timeout_ms`.

    SQLite: WAL, busy timeout, foreign keys; reads start a deferred `BEGIN`, writes
    `BEGIN IMMEDIATE`. PostgreSQL: `lock_timeout` and `statement_timeout` on every connection.
    A read-only SQLite file is refused here, before anything has been shown or typed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise PasisError(DB_BAD_URL.format(url=url), field="db") from None
    if parsed.get_backend_name() != "sqlite":
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql":
            connect_args["options"] = (
                f"-c lock_timeout={lock_timeout_ms} -c statement_timeout={STATEMENT_TIMEOUT_MS}"
            )
        try:
            return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)
        except (NoSuchModuleError, ImportError) as exc:
            raise PasisError(f"Databasdrivrutinen saknas: {exc}", field="db") from None
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        _refuse_read_only(Path(database))
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": lock_timeout_ms / 1000},
        poolclass=StaticPool if in_memory else None,
    )
    _configure_sqlite(engine, wal=not in_memory, busy_timeout_ms=lock_timeout_ms)
    return engine


def refuse_read_only(url: str) -> None:
    """Raise PasisError if `url` is an SQLite file (or folder) this program cannot write."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _refuse_read_only(Path(parsed.database or ""))


def _refuse_read_only(path: Path) -> None:
    """A file no one may write (or this user may not) is refused, not found out at the first save.

    Mode bits count even for root, who could write anyway: a file made read-only is meant so.
    """
    if path.exists():
        if not stat.S_IMODE(path.stat().st_mode) & 0o222 or not os.access(path, os.W_OK):
            raise PasisError(DB_READ_ONLY_FILE.format(path=path), field="db")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # made on first start
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PasisError(DB_READ_ONLY_DIR.format(path=folder), field="db")


def _configure_sqlite(engine: Engine, *, wal: bool, busy_timeout_ms: int) -> None:
    """The documented SQLAlchemy recipe: pysqlite's own BEGIN handling off, our BEGIN on.

    A read is a deferred `BEGIN` (in WAL it reads a snapshot and never waits for a writer) with
    `query_only` on, so a write slipped into a read fails loudly instead of taking the write lock
    late; a write is `BEGIN IMMEDIATE`, which takes the write lock first and waits its turn.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(TRANSACTION)
        connection.exec_driver_sql(f"PRAGMA query_only={'ON' if mode == READ else 'OFF'}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == WRITE else "BEGIN")


_MODE_ENGINES: weakref.WeakKeyDictionary[Engine, dict[str, Engine]] = weakref.WeakKeyDictionary()


_MODE_ENGINES_LOCK = threading.Lock()


def transaction_engine(engine: Engine, mode: str) -> Engine:
    """`engine` whose transactions are reads (never wait, refuse writes) or writes (lock first)."""
    with _MODE_ENGINES_LOCK:  # screens' workers open sessions from several threads
        engines = _MODE_ENGINES.setdefault(engine, {})
        if mode not in engines:
            options: dict[str, Any] = {TRANSACTION: mode}
            if mode == READ and engine.dialect.name == "postgresql":
                options["postgresql_readonly"] = True
            engines[mode] = engine.execution_options(**options)
        return engines[mode]


# ---------------------------------------------------------------------------------------------
# Sessions with stamps and audit


class PasisSession(Session):
    """A session that knows who is working and what time it is (for stamps and the audit log)."""


def open_session(engine: Engine, *, user: str, clock: Clock) -> PasisSession:
    """A session for reading: it never waits for a writer and the database refuses its writes."""
    return _session(transaction_engine(engine, READ), user=user, clock=clock)


@contextmanager
def write_session(engine: Engine, *, user: str, clock: Clock) -> Iterator[PasisSession]:
    """One all-or-nothing transaction: committed when the block ends, rolled back on any error.

    On SQLite it takes the write lock first (`BEGIN IMMEDIATE`), so a read-check-write inside
    it is isolated and contending writers queue instead of failing half-way.
    """
    session = _session(transaction_engine(engine, WRITE), user=user, clock=clock)
    with session, session.begin():
        yield session


def _session(bind: Engine, *, user: str, clock: Clock) -> PasisSession:
    session = PasisSession(bind, expire_on_commit=False)
    session.info["user"] = user
    session.info["clock"] = clock
    return session


def _now_utc(session: OrmSession) -> dt.datetime:
    clock: Clock | None = session.info.get("clock")
    if clock is None:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return utc_naive(clock.now())


_UNAUDITED = (models.AuditEntry, models.AppMeta)


@event.listens_for(PasisSession, "before_flush")
def _stamp(session: OrmSession, _ctx: UOWTransaction, _instances: Any) -> None:
    now = _now_utc(session)
    user = session.info.get("user", "")
    for obj in session.new:
        if isinstance(obj, models.Stamped):
            obj.created_at = obj.created_at or now
            obj.created_by = obj.created_by or user
    for obj in session.dirty:
        if isinstance(obj, models.Stamped) and session.is_modified(obj):
            obj.updated_at = now
            obj.updated_by = user


@event.listens_for(PasisSession, "after_flush")
def _audit(session: OrmSession, _ctx: UOWTransaction) -> None:
    now = _now_utc(session)
    user = session.info.get("user", "")
    rows: list[dict[str, Any]] = []

    def entry(obj: Any, action: models.AuditAction, before: Any, after: Any) -> dict[str, Any]:
        return {
            "at": now,
            "user": user,
            "action": action.value,
            "table_name": obj.__tablename__,
            "row_id": getattr(obj, "id", None),
            "summary": "",
            "before": _json(before),
            "after": _json(after),
        }

    for obj in session.new:
        if isinstance(obj, models.SQLModel) and not isinstance(obj, _UNAUDITED):
            rows.append(entry(obj, models.AuditAction.INSERT, None, _values(obj)))
    for obj in session.dirty:
        if isinstance(obj, _UNAUDITED) or not isinstance(obj, models.SQLModel):
            continue
        before, after = _changes(obj)
        if after:
            rows.append(entry(obj, models.AuditAction.UPDATE, before, after))
    for obj in session.deleted:
        if isinstance(obj, models.SQLModel) and not isinstance(obj, _UNAUDITED):
            rows.append(entry(obj, models.AuditAction.DELETE, _values(obj), None))
    if rows:
        session.connection().execute(insert(models.AuditEntry), rows)


def _values(obj: Any) -> dict[str, Any]:
    return {attr.key: attr.loaded_value for attr in inspect(obj).attrs}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in inspect(obj).attrs:
        history = attr.history
        if history.has_changes() and attr.key not in ("updated_at", "updated_by"):
            before[attr.key] = history.deleted[0] if history.deleted else None
            after[attr.key] = history.added[0] if history.added else None
    return before, after


def _json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None

    def plain(value: Any) -> Any:
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, dt.date | dt.time | dt.datetime):
            return value.isoformat()
        return str(value)

    return json.dumps(values, default=plain, ensure_ascii=False, sort_keys=True)


def audit_event(session: Session, *, table: str, row_id: int | None, summary: str) -> None:
    """Log a bulk write the ORM hooks do not see (e.g. the slots of a published schedule)."""
    session.add(
        models.AuditEntry(
            at=_now_utc(session),
            user=session.info.get("user", ""),
            action=models.AuditAction.EVENT,
            table_name=table,
            row_id=row_id,
            summary=summary[:200],
        )
    )


# ---------------------------------------------------------------------------------------------
# Migrations


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    #: Pasis tables without an `alembic_version`: made before migrations, or by hand.
    unversioned: bool = False

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\b[^=\n]*=\s*(?:None|['\"]([^'\"]+)['\"])", re.MULTILINE
)


def migration_revisions() -> tuple[str, frozenset[str]]:
    """The head revision and every revision of the migration scripts, read from their text.

    Start-up checks the schema with this instead of Alembic, whose import (with Mako and
    Pygments) costs about 0.3 s; Alembic runs only when there is a migration to apply. A test
    proves that this reads the same head and revisions as Alembic's own script directory.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(
            (name, value) for name, value in _REVISION_LINE.findall(script.read_text("utf-8"))
        )
        if found.get("revision"):
            revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop(), frozenset(revisions)


def schema_state(engine: Engine) -> SchemaState:
    """Where the database's schema stands, read without taking any write lock.

    Raises PasisError if the schema is newer than this code.
    """
    head, known = migration_revisions()
    with transaction_engine(engine, READ).connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = None
        if "alembic_version" in tables:
            current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        unversioned = current is None and bool(tables & set(models.metadata.tables))
    if current is not None and current not in known:
        raise PasisError(DB_NEWER.format(revision=current), field="db")
    return SchemaState(current=current, head=head, unversioned=unversioned)


def upgrade(engine: Engine) -> SchemaState:
    """Apply every migration not yet applied (what `pasis db upgrade` and start-up do).

    An up-to-date database is only read; a migration runs in one write transaction.
    """
    state = schema_state(engine)
    if state.unversioned:
        raise PasisError(DB_NO_HISTORY, field="db")
    if state.up_to_date:
        return state
    from alembic import command

    config = _alembic_config()
    with transaction_engine(engine, WRITE).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy tables that others refer to; SQLite ignores this pragma inside
            # a transaction, so it is set before ours begins, and every reference checked after.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise PasisError(DB_BROKEN_REFERENCES, field="db")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return SchemaState(current=state.head, head=state.head)


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(models.AppMeta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(models.AppMeta, key)
    if row is None:
        session.add(models.AppMeta(key=key, value=value))
    else:
        row.value = value


def describe_db_error(error: BaseException) -> str:
    """A Swedish reason for a driver error (locked, not a database, refused connection)."""
    text = str(getattr(error, "orig", None) or error).strip()
    reason = text.splitlines()[0] if text else type(error).__name__
    if is_lock_timeout(error):
        return DB_LOCKED.format(seconds=LOCK_TIMEOUT_MS // 1000, reason=reason)
    if _sqlstate(error) == _PG_QUERY_CANCELED:
        return DB_TOO_SLOW.format(seconds=STATEMENT_TIMEOUT_MS // 1000, reason=reason)
    lowered = reason.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return f"filen är ingen Pasis-databas eller är skadad ({reason})"
    if "readonly" in lowered or "read-only" in lowered:
        return f"databasen går inte att skriva i ({reason})"
    if "connection" in lowered or "could not connect" in lowered:
        return f"kunde inte ansluta till databasservern ({reason})"
    return reason


def is_lock_timeout(error: BaseException) -> bool:
    """Whether `error` means another transaction held a lock past our timeout (either backend)."""
    if _sqlstate(error) in _PG_LOCKED:
        return True
    text = str(getattr(error, "orig", None) or error).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def lock_message(error: BaseException) -> str | None:
    """The status-line text for a lock that was not released in time, else None."""
    if is_lock_timeout(error):
        return DB_LOCKED_ACTION.format(seconds=LOCK_TIMEOUT_MS // 1000)
    return None


def _sqlstate(error: BaseException) -> str | None:
    code = getattr(getattr(error, "orig", None) or error, "sqlstate", None)
    return code if isinstance(code, str) else None


def emptied(engine: Engine) -> Engine:
    """A database with nothing in it (a demo rebuild, a benchmark): an SQLite file is deleted,
    a server database has its tables dropped."""
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        assert url.database is not None
        for suffix in ("", "-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)
        return make_engine(url.render_as_string(hide_password=False))
    existing = MetaData()
    existing.reflect(engine)
    with transaction_engine(engine, WRITE).begin() as connection:
        existing.drop_all(connection)
    return engine
