"""The store stage: what is kept, and who may change it.

`database` holds the SQLAlchemy schema and every query: imports with the original file's bytes and SHA-256, history
and rollback, versioned targets and rules, the aggregation of statistics in SQL, and `plan_for` (the plan that
governs a year); `migrations` upgrades an older database with Alembic; `backup` writes and restores a whole store
across databases; `accounts` hashes passwords and says which role may do what. It persists the read stage's records
(plans, statistics, progress, procedure counts), so it may import the read stage and the ties at the top of the
package, never score or show: scoring reads through the store, not the other way round.
"""
