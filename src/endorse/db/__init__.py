"""Database access: the embedded server, the pool, migrations and named queries."""
