from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心"

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        from . import text

        # One cleaning step and one default bound for every text input (forms and API). Installed
        # here, while Django reads the app list — before any ``ready()`` (the admin's autodiscovery
        # imports forms, Django's own among them) builds a form field.
        text.install()
        from .forms import install_choose_label

        install_choose_label()  # select boxes start on "请选择", never "---------"

    def ready(self):
        from . import immutable, lookups  # noqa: F401  (lookups: registers ``ucontains``)

        immutable.install()  # legal records refuse update/delete (model level; triggers on PostgreSQL)
        from . import api_schema  # noqa: F401  (registers the token scheme for the OpenAPI schema)
        from .api_auth import connect_signals

        connect_signals()
        import django_filters

        # django-filter has no Chinese catalogue: its sort boxes said "发现日期 (descending)"
        django_filters.OrderingFilter.descending_fmt = "%s（降序）"
