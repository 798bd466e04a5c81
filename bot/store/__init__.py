"""Persistence: typed tables, queries and Alembic migrations; SQLite and PostgreSQL alike."""

from bot.store.db import Database

__all__ = ["Database"]
