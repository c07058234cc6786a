"""The air importer tests of tests/unit, collected again here so they run on PostgreSQL.

A module of its own: the water importer's tests (tests/pg/test_repositories_on_postgres.py) have
some of the same names, and one star import would hide the other's.
"""

from tests.unit.air.test_importer import *  # noqa: F403
