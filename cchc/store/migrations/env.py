"""Alembic environment: migrations run on the connection the Store hands over (config.attributes)."""

from alembic import context

from cchc.store.database import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the Store always passes its connection
    raise RuntimeError("run migrations through cchc.store.database.Store")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
