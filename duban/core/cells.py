"""Safe spreadsheet cells: the one place that neutralises formula injection.

Exported text that a spreadsheet would read as a formula (starts with = + - @, tab or CR)
gets a leading apostrophe; numbers stay numbers. Every export (xlsx and csv) calls this.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return `value` safe for a spreadsheet cell. Only text is changed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
