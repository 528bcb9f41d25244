"""Alembic environment: babelwire runs migrations itself (store.database.upgrade), passing a connection."""

from alembic import context

from babelwire.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("babelwire migrations run through babelwire.store.database.upgrade(), which passes a connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
