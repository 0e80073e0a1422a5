"""Engines, sessions and migrations: SQLite by default, any SQLAlchemy URL (PostgreSQL) alike.

Every ORM write goes through a `PasisSession`, whose flush hooks fill in Upplagd/Ändrad and write
an audit entry (who, when, what, before/after) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.errors import PasisError

SQLITE_BUSY_TIMEOUT_MS = 5000
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


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine; on SQLite with WAL, busy_timeout, foreign keys and BEGIN IMMEDIATE writes."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise PasisError(DB_BAD_URL.format(url=url), field="db") from None
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(url, echo=echo, pool_pre_ping=True)
        except (NoSuchModuleError, ImportError) as exc:
            raise PasisError(f"Databasdrivrutinen saknas: {exc}", field="db") from None
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        poolclass=StaticPool if in_memory else None,
    )
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    """The documented SQLAlchemy recipe: pysqlite's own BEGIN handling off, BEGIN IMMEDIATE on."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# ---------------------------------------------------------------------------------------------
# Sessions with stamps and audit


class PasisSession(Session):
    """A session that knows who is working and what time it is (for stamps and the audit log)."""


def open_session(engine: Engine, *, user: str, clock: Clock) -> PasisSession:
    session = PasisSession(engine, expire_on_commit=False)
    session.info["user"] = user
    session.info["clock"] = clock
    return session


@contextmanager
def write_session(engine: Engine, *, user: str, clock: Clock) -> Iterator[PasisSession]:
    """One all-or-nothing transaction: committed when the block ends, rolled back on any error."""
    with open_session(engine, user=user, clock=clock) as session, session.begin():
        yield session


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

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def schema_state(engine: Engine) -> SchemaState:
    """Where the database's schema stands; raises PasisError if it is newer than this code."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise PasisError(DB_NEWER.format(revision=current), field="db")
    return SchemaState(current=current, head=head)


def upgrade(engine: Engine) -> SchemaState:
    """Apply every migration not yet applied (what `pasis db upgrade` and start-up do)."""
    state = schema_state(engine)
    if state.up_to_date:
        return state
    from alembic import command

    config = _alembic_config()
    with engine.connect() as connection:
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
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    lowered = reason.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            f"databasen är låst av någon annan och blev inte ledig inom "
            f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s ({reason})"
        )
    if "not a database" in lowered or "malformed" in lowered:
        return f"filen är ingen Pasis-databas eller är skadad ({reason})"
    if "connection" in lowered or "could not connect" in lowered:
        return f"kunde inte ansluta till databasservern ({reason})"
    return reason
