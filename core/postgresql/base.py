"""Django's PostgreSQL backend, for parameters bound on the server (config/settings.py): the
protocol takes at most 65,535 parameters a statement (with Django's default client-side binding
there is no limit). ``bulk_create`` and ``bulk_update`` split their rows into batches under it, as
they do on SQLite (the limit Django itself sets from 6.0), and a statement with more parameters
than that — an ``__in`` list of every enterprise of a province — is bound on the client instead,
as it would have been without server-side binding."""

import psycopg
from django.db.backends.postgresql import base, features, operations
from django.utils.functional import cached_property

MAX_PARAMS = 2**16 - 1


class ServerBindingCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        if params is not None and len(params) > MAX_PARAMS:
            query, params = psycopg.ClientCursor(self.connection).mogrify(query, params), None
        return super().execute(query, params, **kwargs)


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self):
        return MAX_PARAMS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        limit = self.connection.features.max_query_params
        if limit is None or not fields:
            return super().bulk_batch_size(fields, objs)
        return max(limit // len(fields), 1)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ServerBindingCursor
        return params
