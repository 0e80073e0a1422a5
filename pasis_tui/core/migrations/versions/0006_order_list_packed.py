"""SP 191 order list packed on the order; search index covers target_date; Statistik's indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 18:15:00

Beställ wrote one watch_search_result row per found watch (100 000 rows took seconds); the list is
now one packed value on the order, and a result row is made when a watch of the list is acted on.
Existing orders get their list from their result rows (which stay: they hold what was done).
Statistik reads a period's bookings and cancellations from two covering indexes.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pack(ids: list[int]) -> bytes:
    """As `watch_search.pack_ids` (copied: a migration does not follow later code)."""
    packed = array("q", ids)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _unpack(data: bytes) -> list[int]:
    packed = array("q")
    packed.frombytes(data or b"")
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tolist()


def upgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index('ix_booking_booked', ['booked_at', 'booked_via', 'rebooked_from_id', 'slot_id'], unique=False)
        batch_op.create_index('ix_booking_cancelled', ['cancelled_at', 'cancelled_via', 'status', 'slot_id'], unique=False)

    with op.batch_alter_table('watch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_search'))
        batch_op.create_index('ix_watch_search', ['unit_id', 'watch_type', 'status', 'book_to', 'target_date'], unique=False)

    with op.batch_alter_table('watch_search_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('watch_list', sa.LargeBinary(), nullable=True))

    connection = op.get_bind()
    orders = connection.execute(sa.text("SELECT id FROM watch_search_order")).scalars().all()
    for order_id in orders:
        ids = connection.execute(
            sa.text(
                "SELECT watch_id FROM watch_search_result WHERE order_id = :order "
                "ORDER BY position"
            ),
            {"order": order_id},
        ).scalars().all()
        connection.execute(
            sa.text("UPDATE watch_search_order SET watch_list = :ids WHERE id = :order"),
            {"ids": _pack(list(ids)), "order": order_id},
        )

    with op.batch_alter_table('watch_search_order', schema=None) as batch_op:
        batch_op.alter_column('watch_list', existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    connection = op.get_bind()
    orders = connection.execute(sa.text("SELECT id, watch_list FROM watch_search_order")).all()
    for order_id, data in orders:
        have = set(
            connection.execute(
                sa.text("SELECT watch_id FROM watch_search_result WHERE order_id = :order"),
                {"order": order_id},
            ).scalars()
        )
        missing = [
            {"order": order_id, "watch": watch_id, "position": place}
            for place, watch_id in enumerate(_unpack(data), start=1)
            if watch_id not in have
        ]
        if missing:
            connection.execute(
                sa.text(
                    "INSERT INTO watch_search_result (order_id, watch_id, position, clean_reason) "
                    "VALUES (:order, :watch, :position, '')"
                ),
                missing,
            )

    with op.batch_alter_table('watch_search_order', schema=None) as batch_op:
        batch_op.drop_column('watch_list')

    with op.batch_alter_table('watch', schema=None) as batch_op:
        batch_op.drop_index('ix_watch_search')
        batch_op.create_index(batch_op.f('ix_watch_search'), ['unit_id', 'watch_type', 'status', 'book_to'], unique=False)

    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_cancelled')
        batch_op.drop_index('ix_booking_booked')
