"""Secrets of the tip process: reporter identity (Fernet), tracking codes (hash + prefix),
keyed address hashes for rate limiting (kept only for the rate-limit window, never on a tip)."""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CODE_GROUP = 4


def _fernet() -> Fernet:
    key = getattr(settings, "TIP_IDENTITY_KEY", "")
    if not key:
        raise ImproperlyConfigured("TIP_IDENTITY_KEY 未配置，无法保存举报人身份。")
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return "（无法解密）"


def new_tracking_code() -> str:
    """96 random bits, base32, grouped: ABCD-EFGH-IJKL-MNOP-QRST."""
    raw = base64.b32encode(secrets.token_bytes(12)).decode().rstrip("=")
    return "-".join(raw[i:i + CODE_GROUP] for i in range(0, len(raw), CODE_GROUP))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def code_prefix(code: str) -> str:
    return normalise_code(code)[:4]


def ip_hash(ip: str | None) -> str:
    """HMAC-SHA256 of the address for the rate-limit trail (``TipAttempt``). Not anonymous: whoever
    holds the key can try every IPv4 address, so the digest lives only as long as the rate limit
    needs it (``services.purge_attempts``) and is never stored on a tip."""
    salt = (getattr(settings, "TIP_IP_SALT", "") or settings.SECRET_KEY).encode()
    return hmac.new(salt, (ip or "unknown").encode(), hashlib.sha256).hexdigest()
