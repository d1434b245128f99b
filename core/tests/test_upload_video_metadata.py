"""A public tip video reaches the handler without where and with what it was shot (RULES.md §1
identity protection: a GPS position or a phone's make could identify the whistle-blower), and still
plays: the box tree walks, every box keeps its place, the chunk offsets point at the same media
bytes. A damaged video is refused with a Chinese reason (400), never a 500.

The file is built here box by box and read back with this file's own walker (not core.mp4meta)."""

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.services import ServiceError
from core.testing import client_as

pytestmark = pytest.mark.django_db

GPS = b"+39.1466+117.1953/"
ISO6709 = b"+39.1466+117.1953+012.000/"
CREATED = 3_800_000_000  # seconds since 1904: 2024-05-31
MEDIA = bytes(range(256)) * 4  # the "video" samples


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full(kind: bytes, version: int, payload: bytes) -> bytes:
    return box(kind, bytes([version, 0, 0, 0]) + payload)


def qt_text(kind: bytes, text: bytes) -> bytes:
    """A QuickTime user-data text item: length, language, text."""
    return box(kind, struct.pack(">HH", len(text), 0x15C7) + text)


def phone_video() -> bytes:
    """ftyp, moov (before mdat, as a phone's "fast start" file) with udta (©xyz, ©mak, ©mod), the
    iPhone-style moov/meta keys, a track with its own udta; a top-level XMP uuid; mdat."""
    mvhd = full(b"mvhd", 0, struct.pack(">IIII", CREATED, CREATED + 5, 600, 6000) + bytes(80))
    tkhd = full(b"tkhd", 0, struct.pack(">IIII", CREATED, CREATED + 5, 1, 0) + bytes(64))
    mdhd = full(b"mdhd", 1, struct.pack(">QQIQ", CREATED, CREATED + 5, 600, 6000) + bytes(4))
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")

    def build(chunk_offset: int) -> bytes:
        stco = full(b"stco", 0, struct.pack(">II", 1, chunk_offset))
        stsz = full(b"stsz", 0, struct.pack(">II", len(MEDIA), 1))  # one sample of that size
        stbl = box(b"stbl", stco + stsz)
        mdia = box(b"mdia", mdhd + full(b"hdlr", 0, bytes(4) + b"vide" + bytes(12) + b"\x00") + box(b"minf", stbl))
        trak = box(b"trak", tkhd + mdia + box(b"udta", qt_text(b"\xa9mod", b"iPhone 15")))
        udta = box(b"udta", qt_text(b"\xa9xyz", GPS) + qt_text(b"\xa9mak", b"Apple") + qt_text(b"\xa9mod", b"iPhone 15"))
        keys = full(b"keys", 0, struct.pack(">I", 1) + box(b"mdta", b"com.apple.quicktime.location.ISO6709"))
        ilst = box(b"ilst", box(b"\x00\x00\x00\x01", box(b"data", struct.pack(">II", 1, 0) + ISO6709)))
        meta = box(b"meta", full(b"hdlr", 0, bytes(4) + b"mdta" + bytes(13)) + keys + ilst)
        moov = box(b"moov", mvhd + trak + udta + meta)
        xmp = box(b"uuid", bytes.fromhex("be7acfcb97a942e89c71999491e3afac") + b"<exif:GPSLatitude>39,8.796N</exif:GPSLatitude>")
        head = ftyp + moov + xmp
        return head + box(b"mdat", MEDIA)

    draft = build(0)
    return build(len(draft) - len(MEDIA))  # the chunk starts at mdat's payload


def walk(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[bytes, int, int]]:
    """[(type, position, size)] of the boxes in data[start:end]; asserts they tile it exactly."""
    end = len(data) if end is None else end
    out, pos = [], start
    while pos < end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        assert 8 <= size <= end - pos, (kind, size)
        out.append((kind, pos, size))
        pos += size
    assert pos == end
    return out


def child(data: bytes, parent: tuple, kind: bytes) -> tuple:
    return next(b for b in walk(data, parent[1] + 8, parent[1] + parent[2]) if b[0] == kind)


def test_fixture_really_carries_the_metadata():
    data = phone_video()
    for secret in (GPS, ISO6709, b"Apple", b"iPhone 15", b"GPSLatitude", struct.pack(">I", CREATED)):
        assert secret in data
    top = walk(data)
    assert [b[0] for b in top] == [b"ftyp", b"moov", b"uuid", b"mdat"]


def test_public_tip_video_is_stored_without_position_make_or_times_and_still_walks(world):
    from accounts.models import Sector
    from tips import services

    original = phone_video()
    ent = world.ent_commerce
    tip, _ = services.submit_tip(None, region=ent.region, sector=Sector.objects.get(code="commerce"),
                                 address="示范路1号", enterprise=ent, content="仓库堆放货物堵塞疏散通道，安全出口上锁。",
                                 files=[SimpleUploadedFile("VID_0001.mp4", original, content_type="video/mp4")])
    att = tip.attachments.get()
    with att.file.open("rb") as f:
        stored = f.read()
    for secret in (GPS, ISO6709, b"Apple", b"iPhone", b"GPSLatitude", b"location", struct.pack(">I", CREATED)):
        assert secret not in stored, secret
    assert att.kind == "video" and att.size == len(stored) == len(original)
    # still an MP4: the same boxes at the same places; the metadata boxes are padding now
    before, after = walk(original), walk(stored)
    assert [(p, s) for _k, p, s in before] == [(p, s) for _k, p, s in after]
    assert [k for k, _p, _s in after] == [b"ftyp", b"moov", b"free", b"mdat"]
    moov = after[1]
    assert [k for k, _p, _s in walk(stored, moov[1] + 8, moov[1] + moov[2])] == [b"mvhd", b"trak", b"free", b"free"]
    # the same media, where the track's chunk offset says it is
    mdat = after[3]
    assert stored[mdat[1] + 8:mdat[1] + mdat[2]] == MEDIA
    trak = child(stored, moov, b"trak")
    stbl = child(stored, child(stored, child(stored, trak, b"mdia"), b"minf"), b"stbl")
    stco = child(stored, stbl, b"stco")
    (offset,) = struct.unpack(">I", stored[stco[1] + 16:stco[1] + 20])
    assert stored[offset:offset + len(MEDIA)] == MEDIA
    # creation / modification times 0 (mvhd v0, tkhd v0, mdhd v1); the timescale and duration kept
    mvhd = child(stored, moov, b"mvhd")
    assert struct.unpack(">IIII", stored[mvhd[1] + 12:mvhd[1] + 28]) == (0, 0, 600, 6000)
    mdhd = child(stored, child(stored, trak, b"mdia"), b"mdhd")
    assert struct.unpack(">QQIQ", stored[mdhd[1] + 12:mdhd[1] + 40]) == (0, 0, 600, 6000)


DAMAGED = {
    "box past the end": box(b"ftyp", b"isom\x00\x00\x02\x00") + struct.pack(">I", 4096) + b"moov" + bytes(16),
    "no moov": box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"mdat", b"\x00" * 32),
    "child past its parent": box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"moov", struct.pack(">I", 999) + b"udta")
    + box(b"mdat", b"\x00" * 8),
    "truncated header": box(b"ftyp", b"isom\x00\x00\x02\x00") + b"\x00\x00\x00",
    "short mvhd": box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"moov", full(b"mvhd", 1, bytes(8))) + box(b"mdat", b"x"),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_video_is_refused_with_a_reason(name):
    with pytest.raises(ServiceError, match="已损坏或不是完整的 MP4/MOV 视频") as refused:
        uploads.accept(SimpleUploadedFile("v.mp4", DAMAGED[name]), "tip_video")
    assert refused.value.field == "files"


def test_a_damaged_video_on_the_public_form_is_a_400_with_the_reason(client, world, settings):
    from tips.models import Tip
    from tips.tests.test_views import form_data

    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    video = SimpleUploadedFile("现场.mp4", DAMAGED["box past the end"], content_type="video/mp4")
    r = client.post("/public/tips/new/", {**form_data(world), "files": video})
    assert r.status_code == 400
    assert "已损坏或不是完整的 MP4/MOV 视频" in r.content.decode()
    assert not Tip.objects.exists()


def test_the_handler_downloads_the_cleaned_video(client, world, settings):
    from tips.models import Tip
    from tips.tests.test_views import form_data

    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    video = SimpleUploadedFile("现场.mp4", phone_video(), content_type="video/mp4")
    assert client.post("/public/tips/new/", {**form_data(world), "files": video}).status_code == 200
    tip = Tip.objects.get()
    client_as(client, world, "commerce")
    served = b"".join(client.get(f"/tips/{tip.pk}/files/{tip.attachments.get().pk}/").streaming_content)
    assert GPS not in served and b"Apple" not in served and served[4:8] == b"ftyp"
