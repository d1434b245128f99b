from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心"

    def ready(self):
        from . import immutable, text

        text.install()  # one cleaning step for every text input (forms and API)
        immutable.install()  # legal records refuse update/delete (model level; triggers on PostgreSQL)
