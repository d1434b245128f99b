from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "obligations"
    verbose_name = "企业主体责任"
