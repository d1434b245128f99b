"""SMS adapter interface. Production plugs a gateway class in via SMS_BACKEND."""

import logging
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("qingling.sms")


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to the log (development and tests)."""

    sent: deque = deque(maxlen=1000)  # the latest messages, for tests and the dev console

    def send(self, phone: str, text: str) -> None:
        ConsoleSmsBackend.sent.append((phone, text))
        log.info("SMS to %s: %s", phone, text)


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
