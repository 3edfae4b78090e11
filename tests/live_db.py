"""Tests on the real, committed test database, outside pytest-django's per-test transactions.

The browser tests (the live server's connection) and the concurrency tests (a connection per
thread) see only committed data, and the flush that ends a transactional test would take the
demo along, which tests/conftest.py seeds once per session. A module uses this by importing its
`_django_db_helper`: most such tests only read; a test that writes, through a browser, a thread
or the ORM, has the database restored from a copy taken after the seed, so no later test sees
what it wrote.
"""

import re
import sqlite3

import pytest
from django.db import connection, connections
from django.db.backends.signals import connection_created

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


class DemoCopy:
    """A copy of the seeded test database: SQLite's backup API, or a PostgreSQL template."""

    def __init__(self):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)
        elif connection.vendor == "postgresql":
            self.name = connection.settings_dict["NAME"]
            self.copy_name = f"{self.name}_demo"
            self._clone(self.name, self.copy_name)
        else:
            pytest.fail(f"Cannot copy a {connection.vendor} database for live tests.")

    def restore(self):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy.backup(connection.connection)
        else:
            self._clone(self.copy_name, self.name)

    def drop(self):
        if connection.vendor == "sqlite":
            self.copy.close()
        else:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE {connection.ops.quote_name(self.copy_name)}")

    def _clone(self, source, target):
        # PostgreSQL copies a database only while nobody is connected to it.
        connection.close()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            # Connections that earlier tests left open in other threads would block the copy;
            # Django reconnects them when they are next used.
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [source],
            )
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


class WriteDetector:
    """Notices any statement that changes the database, on every connection of every thread
    (the live server's requests and the concurrency tests' threads each open their own)."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql):
            self.wrote = True
        return execute(sql, params, many, context)

    def watch(self, sender=None, connection=None, **kwargs):
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def __enter__(self):
        connection_created.connect(self.watch)
        for open_connection in connections.all():
            self.watch(connection=open_connection)
        return self

    def __exit__(self, *exc_info):
        connection_created.disconnect(self.watch)
        for open_connection in connections.all():
            if self in open_connection.execute_wrappers:
                open_connection.execute_wrappers.remove(self)


@pytest.fixture(scope="session")
def demo_copy(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        copy = DemoCopy()
    yield copy
    with django_db_blocker.unblock():
        copy.drop()


@pytest.fixture
def _django_db_helper(demo_copy, django_db_blocker):
    """What the django_db mark means where this is imported: the shared demo, committed, and
    restored after a test that wrote.

    This replaces pytest-django's own (private) helper, its per-test transaction or flush.
    """
    with django_db_blocker.unblock():
        with WriteDetector() as detector:
            yield
        if detector.wrote:
            demo_copy.restore()
