"""Ids in URLs, forms and JSON: the range a row id can have, and the URL converter that enforces it.

Ids are INTEGER columns: PostgreSQL refuses a number above 2**31 - 1 outright (an error, so a 500) and SQLite
above 2**63 - 1. Anything outside 1..MAX_ID cannot name a row, so it is answered "not found" before it
reaches the database.
"""
MAX_ID = 2**31 - 1


def is_id(value) -> bool:
    """True for an int that can be a row id (bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
