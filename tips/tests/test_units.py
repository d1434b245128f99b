import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import captcha
from core.services import ServiceError
from tips import protection
from tips.validators import check_point, check_uploads, clean_text, sniff
from tips.workdays import add_working_days


def png_bytes():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def test_tracking_code_is_96_bits_grouped_and_hash_only():
    code = protection.new_tracking_code()
    assert len(protection.normalise_code(code)) == 20 and code.count("-") == 4
    assert protection.code_hash(code.lower().replace("-", " ")) == protection.code_hash(code)
    assert protection.new_tracking_code() != code


def test_encrypt_roundtrip_and_not_plaintext():
    token = protection.encrypt("张三")
    assert "张三" not in token and protection.decrypt(token) == "张三"
    assert protection.encrypt("") == ""


def test_sniff_magic_bytes():
    assert sniff(b"\xff\xd8\xff\xe0" + b"0" * 12) == ("photo", "image/jpeg")
    assert sniff(png_bytes()[:16]) == ("photo", "image/png")
    assert sniff(b"\x00\x00\x00\x18ftypmp42") == ("video", "video/mp4")
    assert sniff(b"GIF89a...........") is None
    assert sniff(b"%PDF-1.7 ........") is None


def test_uploads_limits(settings):
    settings.TIP_PHOTO_MAX_BYTES = 10
    big = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    with pytest.raises(ServiceError) as e:
        check_uploads([big])
    assert e.value.field == "files" and "大小" in e.value.message
    fake = SimpleUploadedFile("a.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ServiceError, match="格式不支持"):
        check_uploads([fake])
    settings.TIP_MAX_FILES = 1
    with pytest.raises(ServiceError, match="最多"):
        check_uploads([fake, fake])


def test_clean_text_strips_tags_and_control_chars():
    assert clean_text("<script>x</script>有\x00隐患<b>!</b>", field="c", label="内容", max_length=50) == "x有隐患!"
    with pytest.raises(ServiceError, match="不能超过5个字"):
        clean_text("一二三四五六", field="c", label="内容", max_length=5)


def test_point_inside_china():
    check_point(Decimal("117.2"), Decimal("39.1"))
    check_point(None, None)
    with pytest.raises(ServiceError) as e:
        check_point(Decimal("2.35"), Decimal("48.85"))  # Paris
    assert e.value.field == "longitude"
    with pytest.raises(ServiceError):
        check_point(Decimal("117.2"), None)


def test_working_days_skip_weekends_and_holidays():
    """国办发明电〔2025〕7号 (2026 arrangement): 1月1日至3日放假，1月4日（周日）上班 — the national
    arrangement (chinesecalendar) applies; local overrides (Holiday rows) win."""
    fri = datetime.date(2026, 1, 2)  # Friday, a public holiday
    assert add_working_days(fri, 1, holidays=set(), workdays=set()) == datetime.date(2026, 1, 4)  # make-up Sunday
    assert add_working_days(fri, 1, holidays={datetime.date(2026, 1, 4)}, workdays=set()) == datetime.date(2026, 1, 5)
    assert add_working_days(fri, 1, holidays=set(), workdays={datetime.date(2026, 1, 3)}) == datetime.date(2026, 1, 3)
    assert add_working_days(fri, 5, holidays=set(), workdays=set()) == datetime.date(2026, 1, 8)


@pytest.mark.django_db
def test_working_days_read_the_holiday_table():
    from tips.models import Holiday

    Holiday.objects.create(date=datetime.date(2026, 1, 4), name="示例")  # the national make-up Sunday, locally off
    assert add_working_days(datetime.date(2026, 1, 2), 1) == datetime.date(2026, 1, 5)


def test_captcha_single_use_and_hashed(settings):
    session = {}
    question = captcha.new_challenge(session)
    a, op, b = question.split()[:3]
    answer = {"+": int(a) + int(b), "-": int(a) - int(b), "×": int(a) * int(b)}[op]
    assert set(session[captcha.SESSION_KEY]) == {"salt", "hash"}  # only a salted hash is kept
    assert captcha.check(session, str(answer)) is True
    assert captcha.check(session, str(answer)) is False  # used up
    captcha.new_challenge(session)
    assert captcha.check(session, "99999") is False
    assert captcha.render_png(question).startswith(b"\x89PNG")
    settings.TIPS_CAPTCHA_TEST_ANSWER = "42"
    assert captcha.check({}, "42") is True
