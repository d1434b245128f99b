"""Bulk inserts for large batches (imports, the dataset generator).

``insert(model, objs)`` writes exactly what ``bulk_create`` would (every concrete field through
its own database preparation) and sets each object's primary key. On PostgreSQL it streams the
rows with COPY, with ids preallocated from the table's sequence; elsewhere it is ``bulk_create``.
Callers run it inside their own transaction.
"""

from django.db import connection


def copy_insert(model, objs) -> None:
    """PostgreSQL: ids preallocated with nextval over generate_series, rows streamed with COPY."""
    if not objs:
        return
    meta = model._meta
    with connection.cursor() as cur:
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
                copy.write_row([prep(f.pre_save(obj, True), connection) for f, prep in preps])


def insert(model, objs, batch_size: int = 2000) -> None:
    if connection.vendor == "postgresql":
        copy_insert(model, objs)
    else:
        model.objects.bulk_create(objs, batch_size=batch_size)
