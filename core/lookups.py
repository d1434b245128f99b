"""``ucontains``: a case-insensitive substring test that folds every letter, not only ASCII.

SQLite's ``LIKE`` (Django's ``icontains`` there) ignores case for ASCII letters only, so on
SQLite ``ＬＮＧ`` did not find ``ｌｎｇ`` nor ``École`` ``ÉCOLE``; PostgreSQL's ``UPPER`` folds them.
On SQLite the lookup compares ``str.casefold`` of both sides (a Python function registered on
each connection, ``ql_casefold``); elsewhere it is ``icontains``. It costs a Python call per row
on SQLite, so callers use it only for a term with a non-ASCII letter (``needs_unicode_fold``)."""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains


def _casefold(value):
    return None if value is None else unicodedata.normalize("NFC", str(value)).casefold()


def needs_unicode_fold(term: str) -> bool:
    """Whether ``term`` has a letter beyond ASCII that has another case (``ｌ``, ``é``, ``м``)."""
    return any(ord(c) > 127 and c.lower() != c.upper() for c in term)


class UnicodeIContains(IContains):
    lookup_name = "ucontains"

    def as_sql(self, compiler, connection):  # elsewhere: icontains itself (its operator is looked up by name)
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        if not isinstance(self.rhs, str):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"instr(ql_casefold({lhs}), %s) > 0", [*lhs_params, _casefold(self.rhs)]


CharField.register_lookup(UnicodeIContains)
TextField.register_lookup(UnicodeIContains)


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("ql_casefold", 1, _casefold, deterministic=True)


connection_created.connect(_register, dispatch_uid="core.lookups.ql_casefold")
