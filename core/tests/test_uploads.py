"""The one upload policy: type by content, size and kinds per point, random stored name, public
photos without EXIF (a public tip photo with GPS reaches the handler without it)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import uploads
from core.services import ServiceError
from core.testing import client_as

GPS_IFD, EXIF_IFD = 0x8825, 0x8769


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[EXIF_IFD] = {0x9003: "2026:03:01 10:20:30"}
    exif[GPS_IFD] = {1: "N", 2: (39.0, 9.0, 36.0), 3: "E", 4: (117.0, 12.0, 0.0)}
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    data = buf.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    return data


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    return buf.getvalue()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("data,kind", [
    (b"\xff\xd8\xff\xe0rest", "jpg"), (b"\x89PNG\r\n\x1a\nrest", "png"), (b"%PDF-1.7 ...", "pdf"),
    (b"\0\0\0\x18ftypmp42", "mp4"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...", "doc"), (SVG, None),
    (b"MZ\x90\x00", None), (b"<html>", None),
])
def test_sniff_by_content(data, kind):
    assert uploads.sniff(data) == kind


def test_sniff_office_files():
    assert uploads.sniff(docx_bytes()) == "docx"


def test_name_and_browser_type_are_ignored():
    disguised = SimpleUploadedFile("photo.jpg", SVG, content_type="image/jpeg")
    with pytest.raises(ServiceError, match="格式不支持") as exc:
        uploads.accept(disguised, "campaign_attachment")
    assert exc.value.field == "attachment"
    renamed = SimpleUploadedFile("report.pdf", png_bytes(), content_type="application/pdf")
    accepted = uploads.accept(renamed, "campaign_attachment")
    assert accepted.kind == "png" and accepted.content_type == "image/png"


def test_kinds_and_size_per_point(settings):
    with pytest.raises(ServiceError, match="只接受 JPG 图片、PNG 图片"):
        uploads.accept(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"), "review_photo")
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ServiceError, match="超过大小限制"):
        uploads.accept(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000 + b"%%EOF"), "obligation_list")
    with pytest.raises(ServiceError, match="为空"):
        uploads.accept(SimpleUploadedFile("e.pdf", b""), "obligation_list")
    with pytest.raises(ServiceError, match="已损坏"):
        uploads.accept(SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"garbage"), "inspection_photo")


def test_stored_name_is_random_and_never_the_users():
    a = uploads.accept(SimpleUploadedFile("../../etc/passwd 我的.png", png_bytes()), "inspection_photo")
    b = uploads.accept(SimpleUploadedFile("../../etc/passwd 我的.png", png_bytes()), "inspection_photo")
    assert a.content.name != b.content.name
    assert a.content.name.endswith(".png") and len(a.content.name) == 32 + 4 and "passwd" not in a.content.name
    assert a.original_name == "passwd 我的.png"  # Django keeps the base name; stored only as text


def test_public_photo_is_reencoded_without_exif():
    accepted = uploads.accept(SimpleUploadedFile("p.jpg", jpeg_with_gps()), "tip_photo")
    data = accepted.content.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (16, 16)
    assert not image.getexif() and b"Exif" not in data and b"PhoneMaker" not in data
    staff = uploads.accept(SimpleUploadedFile("p.jpg", jpeg_with_gps()), "inspection_photo")
    assert Image.open(io.BytesIO(staff.content.read())).getexif().get_ifd(GPS_IFD)  # staff evidence keeps it


def test_public_tip_photo_reaches_the_handler_without_exif(client, world, settings):
    from tips.models import Tip
    from tips.tests.test_views import form_data

    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    photo = SimpleUploadedFile("现场.jpg", jpeg_with_gps(), content_type="image/jpeg")
    r = client.post("/public/tips/new/", {**form_data(world), "files": photo})
    assert r.status_code == 200, r.content.decode()[:500]
    tip = Tip.objects.get()
    att = tip.attachments.get()
    assert "现场" not in att.file.name
    client_as(client, world, "commerce")  # the handling unit (商务局)
    served = b"".join(client.get(f"/tips/{tip.pk}/files/{att.pk}/").streaming_content)
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG" and not image.getexif() and b"Exif" not in served


def test_every_upload_point_uses_the_policy(world):
    """Services refuse a disguised file at each point (the form and the API both end there)."""
    import datetime

    from campaigns import services as campaign_services
    from obligations import services as obligation_services

    disguised = SimpleUploadedFile("list.pdf", SVG)
    with pytest.raises(ServiceError, match="格式不支持"):
        obligation_services.add_responsibility_list(
            world.user("enterprise"), world.ent_commerce, kind="all_staff", title="全员安全生产责任清单",
            issued_on=datetime.date(2026, 1, 5), file=disguised)
    with pytest.raises(ServiceError, match="格式不支持"):
        campaign_services.record_activity(world.user("committee"), unit=world.org("committee"), kind="study",
                                          date=datetime.date(2026, 1, 5), attachment=disguised)
