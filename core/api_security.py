"""The authentication class and throttles named in REST_FRAMEWORK (kept apart from the views so
DRF's settings can import them without a cycle)."""

import binascii
from hmac import compare_digest

from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from .token_lookup import tokens_with_key


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; expired, revoked or inactive-user tokens are 401 with
    ``WWW-Authenticate: Token`` (knox uses the header prefix as the challenge).

    Knox's own check reads every token of the user on every request (to delete the expired ones)
    and then the membership, organisation and region one query each. Here one query reads the
    token with its user and what the scope needs (``core.token_lookup``: its SQL written once); the
    presented token is checked exactly as knox does (digest compared in constant time, expired →
    deleted and refused, inactive user → refused). Deleting the user's *other* expired tokens is
    housekeeping, not a check (an expired token is refused whenever it is presented): it runs when a
    token is issued (``core.api_auth.issue``). The deletions are written in ``core.api_auth`` (the
    token writers)."""

    def authenticate_credentials(self, token):
        msg = _("Invalid token.")  # knox's message (the API's error handler gives the Chinese sentence)
        token = token.decode("utf-8")
        for auth_token in tokens_with_key(token[:CONSTANTS.TOKEN_KEY_LENGTH]):
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                from .api_auth import delete_expired  # the token writers live there

                delete_expired(auth_token, sender=self.__class__)
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        refuse_pending_password_change(user)
        return user, auth_token


class SessionAuthentication(DRFSessionAuthentication):
    """DRF's session authentication (the pages' login, CSRF-checked), refusing an account whose
    password an administrator reset until its holder changes it."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            refuse_pending_password_change(result[0])
        return result


def refuse_pending_password_change(user) -> None:
    """403 ``password_change_required`` while the holder has not changed a password an administrator
    reset (``accounts.password_change``: a token or session must not outlive the reset unchanged)."""
    from accounts.password_change import API_MESSAGE, CODE, change_pending

    if change_pending(user):
        from .api import APIError

        raise APIError(403, CODE, API_MESSAGE)


# ---------------------------------------------------------------- throttles

class SharedCounters:
    """Counters in the ``throttle`` cache (settings.CACHES), which every worker process shares: in a
    per-process cache each limit would be multiplied by the number of gunicorn workers.

    One number per caller instead of DRF's list of its request times in the window (which every
    request read, grew and wrote back whole: at B4's ~80 calls/s one address's list held ~4,700
    times, 0.67 ms of CPU a request against 0.26 ms for a short one). The number is the generic cell
    rate algorithm's "theoretical arrival time": each allowed request moves it on by
    ``duration / num_requests``, and a request is refused while it lies more than ``duration`` less
    one step ahead of now: ``num_requests`` at once, then one every step — the same sustained rate as
    DRF's sliding log, but not its hard cap per window: after a full burst the next requests come one
    a step, so one window of ``duration`` can hold up to twice the limit less one (DRF: the limit;
    it then refuses everything until the burst leaves the window). ``wait()``: the seconds until
    the next step. A list left by DRF's throttle (before a deploy) is read as no history."""

    @property
    def cache(self):
        return caches["throttle"]

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        step = self.duration / self.num_requests
        due = self.cache.get(self.key)
        due = max(due, now) if isinstance(due, float) else now
        self._wait = due + step - self.duration - now
        if self._wait > 0:
            return False
        self.cache.set(self.key, due + step, self.duration)
        return True

    def wait(self):
        return self._wait


class UserThrottle(SharedCounters, UserRateThrottle):
    """Per signed-in user (anonymous callers are keyed by address)."""

    scope = "user"


class AnonThrottle(SharedCounters, AnonRateThrottle):
    """Anonymous callers, per address."""

    scope = "anon"


class AddressThrottle(SharedCounters, SimpleRateThrottle):
    """Per client address whoever is signed in (many accounts from one address are slowed too)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenObtainThrottle(AddressThrottle):
    """Password guessing through the token endpoint: per address, with DRF's sliding log — a hard cap
    of the limit in any window (``SharedCounters`` would let a window hold up to twice the limit
    right after a burst); its list stays short (``API_THROTTLE_TOKEN``, 20/min), so it costs little."""

    scope = "token"
    allow_request = SimpleRateThrottle.allow_request
    wait = SimpleRateThrottle.wait
