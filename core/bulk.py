"""Bulk inserts for large batches (imports, the dataset generator).

``insert(model, objs)`` writes exactly what ``bulk_create`` would (every concrete field through
its own database preparation) and sets each object's primary key. On PostgreSQL it streams the
rows with COPY, with ids preallocated from the table's sequence. On SQLite (inside a transaction)
it sends one ``executemany`` with ids allocated after the table's AUTOINCREMENT sequence — the
write lock is already held (``transaction_mode=IMMEDIATE``; otherwise the first write takes it
and a concurrent writer fails, never duplicates), so no other writer can take those ids — which
skips most of the ORM's per-value compilation. Elsewhere it is ``bulk_create``.
Callers run it inside their own transaction.
"""

import contextlib
import functools
import itertools
import operator

from django.db import connection, connections
from django.db.models import DateField, Field
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def allocate_ids(model, n: int) -> list[int]:
    """PostgreSQL: ``n`` new ids of ``model``'s auto primary key, from its sequence in one query
    (ascending). Ids taken by a transaction that rolls back are not reused (sequences are not
    transactional), as with any insert."""
    if n <= 0:
        return []
    meta = model._meta
    with connections[connection.alias].cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, n])
        return sorted(r[0] for r in cur.fetchall())


class QueryDuringCopy(RuntimeError):
    """A query was asked for while ``copy_rows`` held the connection in COPY (nothing was sent)."""


def _refuse_queries(execute, sql, params, many, context):
    raise QueryDuringCopy(f"query during COPY: {sql[:200]}")


def commit_without_waiting_for_disk() -> None:
    """PostgreSQL, inside a bulk transaction (the ledger import): its commit returns without waiting
    for its WAL to reach the disk (``SET LOCAL synchronous_commit = off``; ~40 ms of a 5,000-row
    import file on this machine's disk). The database stays consistent whatever happens; what a
    crash in the next fraction of a second could lose is this transaction *whole* — and nobody
    has been told it is done yet: the caller's next transaction (the job's completion,
    ``jobs.services.complete``, which the page and the notification wait for) commits
    synchronously, and PostgreSQL flushes the WAL in order, so that commit makes this one durable
    first. A job whose import was lost so is found running by the sweep and retried (the
    committed mark, ``record_commit``, was in the lost transaction too). Elsewhere nothing."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit = off")


def row_maker(model):
    """obj → the row COPY sends for it (every concrete field prepared as ``bulk_create`` would)."""
    values_of = _row_function(model, connections[connection.alias])

    def row(obj):
        obj._state.adding = False
        return values_of(obj)

    return row


@contextlib.contextmanager
def copy_rows(model, fields=None):
    """PostgreSQL: an open ``COPY model FROM STDIN``; yields ``write(obj)``, which sends the row of
    ``obj`` (its primary key set by the caller, e.g. from ``allocate_ids``) as ``bulk_create``
    would prepare it, and ``write.row(values)`` sends a row already prepared (``insert_columns``). Rows go to the server
    as they are written, so it inserts them — heap, indexes — while the caller builds the next
    ones; the COPY ends (and is waited for) when the block does. While the block runs the
    connection can run nothing else: a query through Django raises ``QueryDuringCopy`` before
    anything is sent (the COPY is then cancelled with the exception, and the transaction is
    unusable until rolled back, as after any failed statement). ``fields``: the columns
    ``write.row`` sends (default every concrete field); a column left out takes its default."""
    meta = model._meta
    conn = connections[connection.alias]  # the wrapper itself, not the per-thread proxy (per value)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in (meta.concrete_fields if fields is None else fields))
    make_row = row_maker(model)
    with conn.cursor() as cur:
        # The raw COPY bypasses Django's cursor wrapper: translate driver errors (e.g. a unique
        # violation) into django.db exceptions like every other query does.
        with conn.wrap_database_errors, conn.execute_wrapper(_refuse_queries), \
                cur.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({cols}) FROM STDIN") as copy:
            write_row = copy.write_row

            def write(obj):
                write_row(make_row(obj))

            write.row = write_row
            yield write


def insert_columns(model, columns: dict, n: int) -> None:
    """Insert ``n`` rows of ``model`` given column by column: ``columns`` maps every concrete
    field's attname to a list of ``n`` values, or to one value every row shares. On PostgreSQL
    one COPY of the columns zipped into rows: no model instance per row and no attribute reading
    (the ledger import's schedule, source and event rows); on SQLite inside a transaction one
    ``executemany`` of them. Elsewhere the rows are built as instances (``make``) and written by
    ``insert``. The values are what ``bulk_create`` would write: each prepared by its field
    (``get_db_prep_save``) unless already of the column's plain type. Every concrete field
    must be given, so that a field added later fails here instead of taking the column's default —
    except an auto primary key, which left out is taken from the table's sequence in the rows'
    order (PostgreSQL: the COPY leaves the column out and its default takes ``nextval`` row by row in
    the server — no round trip for the ids; SQLite: numbered after the table's sequence)."""
    meta = model._meta
    fields = meta.concrete_fields
    allocate = meta.pk.get_internal_type().endswith("AutoField") and meta.pk.attname not in columns
    missing = {f.attname for f in fields if not (allocate and f is meta.pk)} ^ set(columns)
    if missing:
        raise ValueError(f"insert_columns({model._meta.label}): columns missing or unknown: {sorted(missing)}")
    for name, value in columns.items():
        if isinstance(value, list) and len(value) != n:
            raise ValueError(f"insert_columns({model._meta.label}): {name} has {len(value)} values, not {n}")
    if n <= 0:
        return
    postgresql, sqlite = connection.vendor == "postgresql", connection.vendor == "sqlite" and connection.in_atomic_block
    if not postgresql and not sqlite:
        if allocate:
            columns = {meta.pk.attname: None, **columns}
        rows = [{name: (value[i] if isinstance(value, list) else value) for name, value in columns.items()} for i in range(n)]
        insert(model, [make(model, row) for row in rows])
        return
    conn = connections[connection.alias]
    if allocate and sqlite:
        with conn.cursor() as cur:
            start = _sqlite_last_id(cur, meta.db_table, meta.pk.column)
        columns = {meta.pk.attname: list(range(start + 1, start + n + 1)), **columns}
    elif allocate:  # PostgreSQL: the COPY leaves the key out; the column's default numbers the rows as they come
        fields = [f for f in fields if f is not meta.pk]
    values = []
    for f in fields:
        value = columns[f.attname]
        if type(f).pre_save is not Field.pre_save and not (isinstance(f, DateField) and not (f.auto_now or f.auto_now_add)):
            raise ValueError(f"insert_columns({model._meta.label}): {f.name} is prepared from the object (pre_save)")
        values.append(_prepared(f, value, conn) if isinstance(value, list) else itertools.repeat(f.get_db_prep_save(value, conn), n))
    if sqlite:  # one executemany of the zipped columns, as sqlite_insert sends instances' rows
        q = conn.ops.quote_name
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
                            f"VALUES ({', '.join(['%s'] * len(fields))})", list(zip(*values)))
        return
    with copy_rows(model, fields) as write:
        send = write.row
        for row in zip(*values):
            send(row)


def _prepared(field, values: list, conn) -> list:
    """``values`` as ``bulk_create`` would send them for ``field`` (see ``_row_function``)."""
    target = field.target_field if field.is_relation else field
    kind = _AS_IS.get(target.get_internal_type()) if type(field).pre_save is Field.pre_save else None
    if kind is not None and all(type(v) is kind or (v is None and field.null) for v in values):
        return values
    memo: dict = {}
    out = []
    for v in values:
        try:
            out.append(memo[v])
        except (KeyError, TypeError):
            prepared = field.get_db_prep_save(v, conn)
            try:
                memo[v] = prepared
            except TypeError:  # unhashable (a JSON value)
                pass
            out.append(prepared)
    return out


def copy_insert(model, objs) -> None:
    """PostgreSQL: ids preallocated with nextval over generate_series (an auto primary key; any
    other primary key is the caller's), rows streamed with COPY."""
    if not objs:
        return
    meta = model._meta
    if meta.pk.get_internal_type().endswith("AutoField"):
        for obj, pk in zip(objs, allocate_ids(model, len(objs)), strict=True):
            obj.pk = pk
    elif any(obj.pk is None for obj in objs):  # a primary key that is not generated (a one-to-one side table's)
        raise ValueError(f"{meta.label}: every object needs its primary key")
    with copy_rows(model) as write:
        for obj in objs:
            write(obj)


# Values that Django's preparation returns unchanged for these field types (``CharField`` of a
# ``str``, ``IntegerField`` or a foreign key of an ``int``, ``BooleanField`` of a ``bool``): passed
# through without the per-value ``get_db_prep_save`` call chain; anything else goes through it.
_AS_IS = {"CharField": str, "TextField": str, "SlugField": str, "EmailField": str, "URLField": str,
          "IntegerField": int, "BigIntegerField": int, "SmallIntegerField": int, "PositiveIntegerField": int,
          "PositiveBigIntegerField": int, "PositiveSmallIntegerField": int, "AutoField": int, "BigAutoField": int,
          "BooleanField": bool}


def _row_function(model, conn):
    """obj → [the database value of each concrete field], as ``bulk_create`` prepares them: the
    attributes read in one ``attrgetter`` call, then only what needs it converted — a value of a
    type in ``_AS_IS`` (or None in a nullable column) is sent as it is, a plain date/datetime
    column converts each distinct value once (a batch repeats one registration instant and a few
    hundred dates), any other field goes through its own ``pre_save`` and ``get_db_prep_save``."""
    fields = model._meta.concrete_fields
    attnames = [f.attname for f in fields]
    getter = operator.attrgetter(*attnames)
    get = getter if len(attnames) > 1 else (lambda obj: (getter(obj),))
    as_is, dates, other = [], [], []
    for i, f in enumerate(fields):
        target = f.target_field if f.is_relation else f
        stock = all(type(x).__module__.startswith("django.db.models.") for x in (f, target))  # no custom preparation
        kind = _AS_IS.get(target.get_internal_type()) if stock and type(f).pre_save is Field.pre_save else None
        if kind is not None:
            as_is.append((i, kind, f.null, f))
        elif stock and isinstance(f, DateField) and not (f.auto_now or f.auto_now_add):
            dates.append((i, f, {}))  # its pre_save is the attribute
        else:
            other.append((i, f))

    def row(obj):
        values = list(get(obj))
        for i, kind, null, f in as_is:
            value = values[i]
            if type(value) is not kind and (value is not None or not null):
                values[i] = f.get_db_prep_save(value, conn)
        for i, f, memo in dates:
            value = values[i]
            try:
                values[i] = memo[value]
            except KeyError:
                memo[value] = values[i] = f.get_db_prep_save(value, conn)
            except TypeError:  # unhashable: not a date; let the field say what it makes of it
                values[i] = f.get_db_prep_save(value, conn)
        for i, f in other:
            values[i] = f.get_db_prep_save(f.pre_save(obj, True), conn)
        return values

    return row


def _sqlite_last_id(cur, table: str, pk: str = "id") -> int:
    """SQLite: the id after which new rows of ``table`` are numbered — its AUTOINCREMENT sequence (so a
    deleted row's id is never reused) or its largest id, whichever is higher."""
    q = connection.ops.quote_name
    cur.execute(f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"coalesce((SELECT max({q(pk)}) FROM {q(table)}), 0))", [table])
    return cur.fetchone()[0]


def sqlite_insert(model, objs) -> None:
    """SQLite: ids allocated after the AUTOINCREMENT sequence (never reusing a deleted row's id),
    rows written with one ``executemany``. Must run inside the caller's transaction."""
    if not objs:
        return
    meta = model._meta
    pk = meta.pk
    if pk.column != "id" or not pk.get_internal_type().endswith("AutoField") or any(o.pk is not None for o in objs):
        model.objects.bulk_create(objs)
        return
    table = meta.db_table
    conn = connections[connection.alias]  # the wrapper itself, not the per-thread proxy
    q = conn.ops.quote_name
    fields = meta.concrete_fields
    with conn.cursor() as cur:
        start = _sqlite_last_id(cur, table)
        for i, obj in enumerate(objs, start + 1):
            obj.pk = i
            obj._state.adding = False
        values_of = _row_function(model, conn)
        rows = [values_of(obj) for obj in objs]
        cols = ", ".join(q(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        cur.executemany(f"INSERT INTO {q(table)} ({cols}) VALUES ({marks})", rows)
        for obj in objs:
            obj._state.db = connection.alias


def insert(model, objs, batch_size: int = 2000) -> None:
    if connection.vendor == "postgresql":
        copy_insert(model, objs)
    elif connection.vendor == "sqlite" and connection.in_atomic_block:
        sqlite_insert(model, objs)
    else:
        model.objects.bulk_create(objs, batch_size=batch_size)


@functools.cache
def _template(model):
    fields = model._meta.concrete_fields
    index = {f.attname: i for i, f in enumerate(fields)}
    row, fresh = [], []
    for i, f in enumerate(fields):
        if f.has_default() and callable(f.default):
            row.append(None)
            fresh.append((i, f.attname, f.get_default))  # a new value per object (dict(), now())
        else:
            row.append(f.get_default())
    return index, row, fresh, tuple(f.attname for f in fields)


def make(model, values: dict, related: dict | None = None):
    """An unsaved ``model`` instance, built as ``Model.from_db`` builds one — positional
    ``model(*row)`` over the concrete fields — instead of keyword arguments through each foreign
    key's descriptor: for bulk paths creating thousands of objects. ``values`` are keyed by
    attname (``enterprise_id``, not ``enterprise``); fields not given get their default as
    ``Model(**kwargs)`` would (a callable default is called for each object). ``related`` (field
    name → object or None, matching the ``*_id`` value) fills the related-object cache, so
    ``obj.enterprise`` needs no query."""
    index, template, fresh, attnames = _template(model)
    row = template.copy()
    for i, attname, default in fresh:
        if attname not in values:
            row[i] = default()
    for attname, value in values.items():
        row[index[attname]] = value
    if (pre_init.receivers or post_init.receivers) and (pre_init.has_listeners(model) or post_init.has_listeners(model)):
        obj = model(*row)
    else:
        # what Model.__init__(*row) leaves, without a descriptor call per field: every concrete
        # field's attname in the instance dict and a fresh ModelState (no signal has a listener)
        obj = model.__new__(model)
        obj._state = ModelState()
        obj.__dict__.update(zip(attnames, row))
    if related:
        obj._state.fields_cache.update(related)
    return obj


# PostgreSQL: values per ``= ANY(array)``. A longer array makes the planner expect so many rows that
# it reads the whole table: 1,902 credit codes of 100,000 enterprises (a province import's file) took
# a 26 ms sequential scan, the same codes as two arrays of at most 1,000 two index scans, 9 ms.
PG_CHUNK = 1000


def where_in(queryset, column: str, values, chunk: int = 900):
    """``queryset`` restricted to rows whose ``column`` (of its model's table) is one of
    ``values``, as querysets to run: on PostgreSQL ``column = ANY(%s)`` with up to ``PG_CHUNK``
    values as one array parameter (no statement with thousands of placeholders to build and
    parse); elsewhere ``column__in`` chunks of ``chunk`` (SQLite's parameter limit)."""
    values = sorted(set(values))
    if not values:
        return []
    if connection.vendor == "postgresql":
        where = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{connection.ops.quote_name(column)} = ANY(%s)"
        return [queryset.extra(where=[where], params=[values[i:i + PG_CHUNK]]) for i in range(0, len(values), PG_CHUNK)]
    return [queryset.filter(**{f"{column}__in": values[i:i + chunk]}) for i in range(0, len(values), chunk)]
