from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心"

    def ready(self):
        from . import immutable, lookups, text  # noqa: F401  (lookups: registers ``ucontains``)

        text.install()  # one cleaning step for every text input (forms and API)
        immutable.install()  # legal records refuse update/delete (model level; triggers on PostgreSQL)
        from . import api_schema  # noqa: F401  (registers the token scheme for the OpenAPI schema)
        from .api_auth import connect_signals

        connect_signals()
        import django_filters

        # django-filter has no Chinese catalogue: its sort boxes said "发现日期 (descending)"
        django_filters.OrderingFilter.descending_fmt = "%s（降序）"
