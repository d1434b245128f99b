"""The database session store with the session read as one hand-written statement.

Every authenticated request reads its session row first. Django's ``db`` store reads it with
``Session.objects.get(session_key=…, expire_date__gt=now)``: compiling that query cost several times
what running it did (issue 15, the fixed cost of a page). This store runs the same statement —
the same table, the same conditions, the expiry compared exactly as the ORM adapts it — and
otherwise is Django's ``db`` store (saving, rotating, deleting, clearing expired rows, async).
``SESSION_ENGINE = "core.sessions"``.
"""

from django.contrib.sessions.backends import db
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {connection.ops.quote_name(model._meta.db_table)} "
                           f"WHERE session_key = %s AND expire_date > %s", [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        # load() only reads session_data from what this returns
        return model(session_key=self.session_key, session_data=row[0])
