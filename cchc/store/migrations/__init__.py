"""Alembic migrations: a database made by an older version upgrades without losing data."""
