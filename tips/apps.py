from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "tips"
    verbose_name = "举报奖励"

    def ready(self):
        from . import checks  # noqa: F401 - registers the identity-key check
