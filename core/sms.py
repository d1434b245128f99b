"""SMS adapter interface. Production plugs a gateway class in via SMS_BACKEND."""

import logging
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("qingling.sms")


class SmsRejected(Exception):
    """A gateway's answer that this message can never be sent (an invalid or barred number): the
    message is marked failed at once. Any other exception from ``send`` is taken as temporary
    (the gateway is down or slow) and the delivery job tries again with back-off."""


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        """Send one message; raise ``SmsRejected`` for a permanent refusal, anything else for a
        temporary failure."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to the log (development and tests)."""

    sent: deque = deque(maxlen=1000)  # the latest messages, for tests and the dev console

    def send(self, phone: str, text: str) -> None:
        ConsoleSmsBackend.sent.append((phone, text))
        log.info("SMS to %s: %s", phone, text)


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
