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

from django.db import connection, connections


def copy_insert(model, objs) -> None:
    """PostgreSQL: ids preallocated with nextval over generate_series, rows streamed with COPY."""
    if not objs:
        return
    meta = model._meta
    conn = connections[connection.alias]  # the wrapper itself, not the per-thread proxy (per value)
    with conn.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [meta.db_table, len(objs)])
        ids = sorted(r[0] for r in cur.fetchall())
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
        fields = meta.concrete_fields
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        preps = [(f, f.get_db_prep_save) for f in fields]
        # The raw COPY bypasses Django's cursor wrapper: translate driver errors (e.g. a unique
        # violation) into django.db exceptions like every other query does.
        with connection.wrap_database_errors, \
                cur.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({cols}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([prep(f.pre_save(obj, True), conn) for f, prep in preps])


def _preparers(model):
    """(field, value-for-the-database) for each concrete field, as ``bulk_create`` prepares it."""
    return [(f, f.get_db_prep_save) for f in model._meta.concrete_fields]


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
        cur.execute(f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                    f"coalesce((SELECT max(id) FROM {q(table)}), 0))", [table])
        start = cur.fetchone()[0]
        for i, obj in enumerate(objs, start + 1):
            obj.pk = i
            obj._state.adding = False
        preps = _preparers(model)
        rows = [[prep(f.pre_save(obj, True), conn) for f, prep in preps] for obj in objs]
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
