"""Alembic environment: the app passes its own connection; the CLI uses sqlalchemy.url."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from pasis_tui.core import models

target_metadata = models.metadata
config = context.config


def run_with(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        run_with(conn)
