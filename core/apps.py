from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心"

    def ready(self):
        from . import text

        text.install()  # one cleaning step for every text input (forms and API)
