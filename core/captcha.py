"""Offline captcha (the public tip form; the login form after failed attempts): an arithmetic
question drawn with Pillow; the answer is kept hashed in the session and is good for one attempt only.

Tests may set ``settings.TIPS_CAPTCHA_TEST_ANSWER``: that answer is then also accepted."""

import hashlib
import io
import random
import secrets

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

SESSION_KEY = "tips_captcha"


def _hash(answer: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{answer.strip()}".encode()).hexdigest()


def new_challenge(session, key: str = SESSION_KEY) -> str:
    """Store a fresh hashed answer in the session under ``key`` (the login form uses its own key
    so that an open tip form and the login page do not use up each other's challenge); return
    the question text (for the image)."""
    rng = random.SystemRandom()
    a, b = rng.randint(2, 19), rng.randint(1, 9)
    op = rng.choice("+-×")
    answer = a + b if op == "+" else a - b if op == "-" else a * b
    salt = secrets.token_hex(8)
    session[key] = {"salt": salt, "hash": _hash(str(answer), salt)}
    return f"{a} {op} {b} = ?"


def render_png(question: str) -> bytes:
    rng = random.SystemRandom()
    img = Image.new("RGB", (160, 50), (245, 247, 250))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        draw.line([(rng.randint(0, 160), rng.randint(0, 50)), (rng.randint(0, 160), rng.randint(0, 50))],
                  fill=(rng.randint(120, 200),) * 3, width=1)
    font = ImageFont.load_default(size=26) if hasattr(ImageFont, "load_default") else None
    x = 8
    for ch in question:
        draw.text((x, rng.randint(6, 14)), ch, fill=(rng.randint(0, 90), rng.randint(0, 90), rng.randint(60, 140)), font=font)
        x += 14 if ch != " " else 6
    for _ in range(120):
        img.putpixel((rng.randint(0, 159), rng.randint(0, 49)), (rng.randint(0, 255),) * 3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def check(session, answer: str, key: str = SESSION_KEY) -> bool:
    """True when ``answer`` solves the stored challenge. The challenge is used up either way."""
    stored = session.pop(key, None)
    answer = (answer or "").strip()
    test_answer = getattr(settings, "TIPS_CAPTCHA_TEST_ANSWER", None)
    if test_answer is not None and answer == str(test_answer):
        return True
    if not stored or not answer:
        return False
    return secrets.compare_digest(stored["hash"], _hash(answer, stored["salt"]))
