"""The API token's lookup, its SQL written once a connection.

Every token-authenticated call reads the token with its user and what the scope needs next
(``accounts.scope.compute_scope``: the membership, its organisation, the organisation's region,
department type and enterprise) — the rows of ``Token.objects.filter(token_key=…)
.select_related(*USER_RELATED)``. Through the ORM that query is compiled again on every call (py-spy
on benchmark B4's gunicorn workers: the lookup was 18 % of their time, the compiling 40 % of that;
docs/scaling.md); the lookup cost 1.65–1.8 ms of CPU on the province database, 0.33–0.37 ms here. Its
statement is written once per connection from the models' fields, and each call runs it and builds
the same instances with the same relation caches as ``select_related`` — each value passed through
the converters the ORM applies (the backend's, then the field's), a missing related row cached as
None (no query when the scope asks for it). ``core.tests.test_token_lookup`` compares the result
with the ORM's, instance by instance, on SQLite and PostgreSQL."""

import weakref

from django.db import connections, router
from knox.models import get_token_model

#: the token's relations read with it (what compute_scope reads)
USER_RELATED = ("user__membership__organisation__region", "user__membership__organisation__department_type",
                "user__membership__organisation__enterprise")

_statements: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # per connection (one a thread)


def _nodes() -> list:
    """(model, index of the parent node, the link from the parent) for the token and each relation
    of ``USER_RELATED``, parents first."""
    nodes, index = [(get_token_model(), None, None)], {(): 0}
    for path in USER_RELATED:
        names = tuple(path.split("__"))
        for depth in range(1, len(names) + 1):
            key = names[:depth]
            if key not in index:
                parent = index[key[:-1]]
                link = nodes[parent][0]._meta.get_field(key[-1])
                index[key] = len(nodes)
                nodes.append((link.related_model, parent, link))
    return nodes


class _Statement:
    """The SQL of one connection, and per node its columns' attribute names and converters."""

    def __init__(self, connection):
        qn = connection.ops.quote_name
        self.nodes = _nodes()
        self.shapes, columns, joins, inner = [], [], [], [True]
        for i, (model, parent, link) in enumerate(self.nodes):
            alias = f"T{i}"
            fields = model._meta.concrete_fields
            converters = []
            for j, field in enumerate(fields):
                col = field.get_col(alias)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if found:
                    converters.append((j, found, col))
            pk_at = next(j for j, f in enumerate(fields) if f.primary_key)
            self.shapes.append(([f.attname for f in fields], converters, pk_at, len(fields)))
            columns += [f"{qn(alias)}.{qn(f.column)}" for f in fields]
            if parent is None:
                continue
            if link.concrete:  # a foreign key (or one-to-one) of the parent
                on = f"{qn(alias)}.{qn(link.target_field.column)} = {qn(f'T{parent}')}.{qn(link.column)}"
                inner.append(inner[parent] and not link.null)
            else:  # the reverse side of a one-to-one (the user's membership)
                on = f"{qn(alias)}.{qn(link.field.column)} = {qn(f'T{parent}')}.{qn(link.field.target_field.column)}"
                inner.append(False)
            joins.append(f"{'INNER' if inner[i] else 'LEFT OUTER'} JOIN {qn(model._meta.db_table)} {qn(alias)} ON ({on})")
        token = self.nodes[0][0]
        self.sql = (f"SELECT {', '.join(columns)} FROM {qn(token._meta.db_table)} {qn('T0')} {' '.join(joins)} "
                    f"WHERE {qn('T0')}.{qn(token._meta.get_field('token_key').column)} = %s")

    def instances(self, connection, row) -> object:
        """The token of ``row`` with its relations cached, as ``select_related`` leaves them."""
        objs, start = [], 0
        for (model, parent, link), (attnames, converters, pk_at, width) in zip(self.nodes, self.shapes):
            values = list(row[start:start + width])
            start += width
            for j, found, col in converters:
                for convert in found:
                    values[j] = convert(values[j], col, connection)
            obj = None if values[pk_at] is None else model.from_db(connection.alias, attnames, values)
            objs.append(obj)
            if parent is None or objs[parent] is None:
                continue
            owner = objs[parent]
            link.set_cached_value(owner, obj)
            if obj is not None and not link.concrete:  # a one-to-one read from its reverse side: both ways
                link.field.set_cached_value(obj, owner)
        return objs[0]


def tokens_with_key(token_key: str) -> list:
    """The tokens whose ``token_key`` is ``token_key``, each with its user, membership, organisation
    and the organisation's region, department type and enterprise read in the same statement."""
    connection = connections[router.db_for_read(get_token_model())]  # an alias ("default" without a router's opinion)
    statement = _statements.get(connection)
    if statement is None:
        statement = _statements[connection] = _Statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [token_key])
        rows = cursor.fetchall()
    return [statement.instances(connection, row) for row in rows]
