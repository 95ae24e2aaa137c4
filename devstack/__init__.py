"""The embedded development stack behind ``make up``: Temporal dev server, PostgreSQL, worker, server."""
