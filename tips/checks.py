"""Startup check: whistle-blower identities cannot be protected without a valid key."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def tip_identity_key(app_configs, **kwargs):
    from cryptography.fernet import Fernet

    key = getattr(settings, "TIP_IDENTITY_KEY", "")
    if not key:
        return [Error("TIP_IDENTITY_KEY is not set: reporters' identities cannot be encrypted.",
                      hint="Generate one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
                      id="tips.E001")]
    try:
        Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError):
        return [Error("TIP_IDENTITY_KEY is not a valid Fernet key (32 url-safe base64-encoded bytes).", id="tips.E002")]
    return []
