"""One-row aggregate statements that can be run alone or side by side in one statement.

A page that shows many independent counts (the dispatch table: sections 一 to 四, each from its own
app) pays a round trip, an ORM compilation and a cursor per count when each is its own query. A
``Part`` is one hand-written ``SELECT`` returning exactly one row (aggregates without ``GROUP BY``,
or scalar sub-selects) with its parameters and a ``decode`` from that row's values to
``{code: value}``; ``run`` executes one part, ``run_all`` executes several as one statement
(``SELECT * FROM (p1) q1 CROSS JOIN (p2) q2 …``: every part is still planned on its own, each
aggregate still yields one row) and decodes each part's slice of the row.
"""

import decimal
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

_FLOAT_CONTEXT = decimal.Context(prec=15)


@dataclass(frozen=True)
class Part:
    sql: str
    params: list
    width: int  # columns of the one row
    decode: Callable[[tuple], dict]


def day(value):
    """A date parameter as the backend stores it (SQLite compares ISO text)."""
    return connection.ops.adapt_datefield_value(value)


def decimal_sum(value, places: int = 2) -> decimal.Decimal:
    """``SUM`` of a DecimalField read by raw SQL, as the ORM reads it: PostgreSQL answers an exact
    ``Decimal``; SQLite a float, turned into a Decimal of 15 significant digits and quantized to the
    field's decimal places (Django's SQLite converter)."""
    if value is None:
        return decimal.Decimal(0)
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, float):
        return _FLOAT_CONTEXT.create_decimal_from_float(value).quantize(decimal.Decimal(1).scaleb(-places))
    return decimal.Decimal(value)


def run(part: Part) -> dict:
    return run_all([part])


def run_all(parts: list[Part]) -> dict:
    """Every part in one statement; the merged ``{code: value}`` in the order of ``parts``."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return {}
    if len(parts) == 1:
        sql, params = parts[0].sql, list(parts[0].params)
    else:
        sql = "SELECT * FROM " + " CROSS JOIN ".join(f"({p.sql}) q{i}" for i, p in enumerate(parts))
        params = [v for p in parts for v in p.params]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    out: dict = {}
    at = 0
    for p in parts:
        out.update(p.decode(tuple(row[at:at + p.width])))
        at += p.width
    return out
