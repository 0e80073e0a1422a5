"""The slot insert path of `Publicera schema`: COPY on PostgreSQL, executemany elsewhere.

Both write through the session's own connection, inside the caller's transaction, so a failure
anywhere (a bad row, the progress callback, the process) leaves no slot behind. A publish repeats
each day's times for every caregiver, so the per-slot part of a row (the "fragment") is encoded
once per template and day and only the per-day part (the "head": ids) changes; on PostgreSQL the
rows go pre-encoded as `COPY slot (…) FROM STDIN`, one per flush (issue #8: the row-by-row
executemany was 10× SQLite; ENGINEERING.md).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlalchemy import Connection, insert
from sqlalchemy.exc import DBAPIError

from pasis_tui.core import models
from pasis_tui.core.slot_pattern import LaidSlot

if TYPE_CHECKING:  # psycopg is the optional PostgreSQL driver, imported when it is used
    import psycopg

#: The columns a publish fills, in row order: the day's ids, then each slot's own values.
HEAD_COLUMNS = (
    "schedule_day_id",
    "caregiver_id",
    "clinic_id",
    "template_version_id",
    "letter_template_id",
    "overbookings",
)
TAIL_COLUMNS = (
    "activity_id",
    "day",
    "starts_at",
    "ends_at",
    "starts_at_utc",
    "ends_at_utc",
    "visit_length_min",
    "level_1177",
    "reason",
    "seats",
)
COLUMNS = HEAD_COLUMNS + TAIL_COLUMNS

CopyFormat = Literal["binary", "text"]
#: bench/publish_year.py (README, Benchmarks): text's median publish was the lower in all three
#: runs of the bench, at about the same CPU (the server's work is the foreign keys and indexes,
#: not parsing), and text does not break if a column's type widens (binary must match int4/int8).
COPY_FORMAT: CopyFormat = "text"


class SlotWriter(Protocol):
    """Buffers slot rows day by day and sends them to the database on `flush`."""

    def fragments(self, laid: list[LaidSlot]) -> Any:
        """The encoded per-slot values of one laid day (the same for every caregiver)."""

    def add(self, head: tuple[int, ...], fragments: Any) -> int:
        """Buffer one day's rows (its ids + each fragment); returns the number of rows."""

    def flush(self) -> None:
        """Send the buffered rows."""


@contextmanager
def open_slot_writer(
    connection: Connection, *, copy_format: CopyFormat | None = None
) -> Iterator[SlotWriter]:
    """The fastest writer for the connection's backend; on leaving, everything is sent."""
    writer: _CopySlotWriter | _ExecutemanySlotWriter
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        writer = _CopySlotWriter(connection, copy_format or COPY_FORMAT)
    else:
        writer = _ExecutemanySlotWriter(connection)
    yield writer
    writer.flush()


def _same(value: Any) -> Any:
    return value


class _ExecutemanySlotWriter:
    """Rows as tuples bound by the column types' own bind processors, one executemany a flush
    (ENGINEERING.md: the ORM is ≈ 28× a raw executemany, Core with dicts ≈ 3.5× on SQLite)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.rows: list[tuple[Any, ...]] = []
        dialect = connection.dialect
        table = models.Slot.__table__  # type: ignore[attr-defined]
        self.positional = dialect.paramstyle in ("qmark", "format")
        if self.positional:  # our own column order, so a row is head + tail without reordering
            quote = dialect.identifier_preparer.quote
            marker = "?" if dialect.paramstyle == "qmark" else "%s"
            self.sql = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in COLUMNS)}) "
                f"VALUES ({', '.join(marker for _ in COLUMNS)})"
            )
        else:  # named styles take dicts, whatever the compiled column order
            self.sql = str(insert(table).compile(dialect=dialect, column_keys=list(COLUMNS)))
        self.bind = {
            name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) or _same
            for name in COLUMNS
        }

    def fragments(self, laid: list[LaidSlot]) -> list[tuple[Any, ...]]:
        b = self.bind
        return [
            (
                b["activity_id"](item.slot.activity_id),
                b["day"](item.starts_at.date()),
                b["starts_at"](item.starts_at),
                b["ends_at"](item.ends_at),
                b["starts_at_utc"](item.starts_at_utc),
                b["ends_at_utc"](item.ends_at_utc),
                b["visit_length_min"](item.slot.visit_length_min),
                b["level_1177"](item.slot.level_1177),
                b["reason"](item.slot.reason),
                b["seats"](item.slot.seats),
            )
            for item in laid
        ]

    def add(self, head: tuple[int, ...], fragments: list[tuple[Any, ...]]) -> int:
        # The head values are ints, whose processors (if any) are the identity on every backend.
        self.rows.extend(head + fragment for fragment in fragments)
        return len(fragments)

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        if self.positional:
            self.connection.exec_driver_sql(self.sql, rows)  # type: ignore[arg-type]
        else:
            self.connection.exec_driver_sql(
                self.sql,
                [dict(zip(COLUMNS, row, strict=True)) for row in rows],  # type: ignore[arg-type]
            )


# -- COPY encodings: exactly what SQLAlchemy would store (naive timestamps, dates, ints, text) --

_PG_EPOCH_DAY = dt.date(2000, 1, 1)
_PG_EPOCH = dt.datetime(2000, 1, 1)
_INT4 = struct.Struct(">ii")
_INT8 = struct.Struct(">iq")
_LENGTH = struct.Struct(">i")
_FIELD_COUNT = struct.Struct(">h")
#: Binary COPY: signature, flags, header extension length; and the file trailer.
BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
BINARY_TRAILER = struct.pack(">h", -1)
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def binary_value(value: int | str | dt.date | dt.datetime | None, encoding: str = "utf-8") -> bytes:
    """One field of COPY's binary format for an int4, date, naive timestamp or varchar column
    (text in the connection's client encoding)."""
    if value is None:
        return _LENGTH.pack(-1)
    if isinstance(value, bool):
        raise TypeError("bool is not an int4 column")
    if isinstance(value, int):
        return _INT4.pack(4, value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise TypeError("slot times are stored naive")
        delta = value - _PG_EPOCH
        return _INT8.pack(8, (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
    if isinstance(value, dt.date):
        return _INT4.pack(4, (value - _PG_EPOCH_DAY).days)
    data = value.encode(encoding)
    return _LENGTH.pack(len(data)) + data


def text_value(value: int | str | dt.date | dt.datetime | None) -> str:
    """One field of COPY's text format (backslash escapes; \\N is NULL)."""
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise TypeError("slot times are stored naive")
        return value.isoformat(sep=" ")
    if isinstance(value, int | dt.date):
        return str(value)
    return value.translate(_TEXT_ESCAPES)


def _tail_values(item: LaidSlot) -> tuple[Any, ...]:
    return (
        item.slot.activity_id,
        item.starts_at.date(),
        item.starts_at,
        item.ends_at,
        item.starts_at_utc,
        item.ends_at_utc,
        item.slot.visit_length_min,
        item.slot.level_1177,
        item.slot.reason,
        item.slot.seats,
    )


class _CopySlotWriter:
    """Pre-encoded rows, one `COPY slot (…) FROM STDIN` a flush on the session's connection.

    A COPY is never left open between flushes, so the caller (a progress callback) may use the
    session meanwhile; a query on a connection in the middle of a COPY would wait for ever. A
    database error (a foreign key, a check) surfaces as SQLAlchemy's DBAPIError subclass, as from
    the executemany path, and the caller's transaction rolls back.
    """

    def __init__(self, connection: Connection, copy_format: CopyFormat) -> None:
        import psycopg

        driver_connection = connection.connection.driver_connection
        assert isinstance(driver_connection, psycopg.Connection)
        self.driver_connection: psycopg.Connection[Any] = driver_connection
        self.dialect = connection.dialect
        self.encoding = driver_connection.info.encoding  # the client encoding, as Python names it
        self.binary = copy_format == "binary"
        self.blocks: list[bytes] = []
        self.row_prefix = _FIELD_COUNT.pack(len(COLUMNS)) if self.binary else b""
        table = models.Slot.__table__.name  # type: ignore[attr-defined]
        quote = connection.dialect.identifier_preparer.quote
        self.sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in COLUMNS)}) FROM STDIN" + (
            " (FORMAT BINARY)" if self.binary else ""
        )

    def fragments(self, laid: list[LaidSlot]) -> list[bytes]:
        if self.binary:
            return [
                b"".join(binary_value(v, self.encoding) for v in _tail_values(item))
                for item in laid
            ]
        return [
            ("\t".join(text_value(v) for v in _tail_values(item)) + "\n").encode(self.encoding)
            for item in laid
        ]

    def add(self, head: tuple[int, ...], fragments: Sequence[bytes]) -> int:
        if self.binary:
            prefix = self.row_prefix + b"".join(_INT4.pack(4, value) for value in head)
        else:
            prefix = ("\t".join(str(value) for value in head) + "\t").encode()
        self.blocks.extend(prefix + fragment for fragment in fragments)
        return len(fragments)

    def flush(self) -> None:
        if not self.blocks:
            return
        import psycopg

        if self.binary:
            self.blocks.insert(0, BINARY_SIGNATURE)
            self.blocks.append(BINARY_TRAILER)
        block, self.blocks = b"".join(self.blocks), []
        try:
            with self.driver_connection.cursor() as cursor, cursor.copy(self.sql) as copy:
                copy.write(block)
        except psycopg.Error as error:
            raise DBAPIError.instance(
                self.sql, None, error, psycopg.Error, dialect=self.dialect
            ) from error
