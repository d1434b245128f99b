"""The authentication class and throttles named in REST_FRAMEWORK (kept apart from the views so
DRF's settings can import them without a cycle)."""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; expired, revoked or inactive-user tokens are 401 with
    ``WWW-Authenticate: Token`` (knox uses the header prefix as the challenge)."""


# ---------------------------------------------------------------- throttles

class UserThrottle(UserRateThrottle):
    """Per signed-in user (anonymous callers are keyed by address)."""

    scope = "user"


class AnonThrottle(AnonRateThrottle):
    """Anonymous callers, per address."""

    scope = "anon"


class AddressThrottle(SimpleRateThrottle):
    """Per client address whoever is signed in (many accounts from one address are slowed too)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenObtainThrottle(AddressThrottle):
    """Password guessing through the token endpoint: per address."""

    scope = "token"
