"""Evidence review: duplicate files, stage and submission of each file, EXIF time/place, the
before/after comparison, thumbnails (service, view, permission matrix)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.services import ServiceError
from core.testing import check_matrix, client_as
from hazards import review, services, thumbnails
from hazards.evidence import add_attachment, check_upload
from hazards.models import Attachment

from .conftest import PDF_BYTES, PLAN, make_general

pytestmark = pytest.mark.django_db


def photo(color="red", size=(40, 30), when=None, gps=None, orientation=None, mode="RGB", fmt="JPEG") -> bytes:
    """A test photo built with Pillow; EXIF written through Image.Exif (no piexif)."""
    img = Image.new(mode, size, color)
    exif = Image.Exif()
    if when:
        exif[0x8769] = {0x9003: when}  # Exif IFD → DateTimeOriginal
    if gps:
        exif[0x8825] = gps  # GPS IFD
    if orientation:
        exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, fmt, **({"exif": exif} if len(exif) else {}))
    return buf.getvalue()


def upload(world, hazard, data, name="p.jpg", kind=Attachment.Kind.PHOTO, persona="enterprise"):
    return add_attachment(world.user(persona), hazard, check_upload(SimpleUploadedFile(name, data)),
                          original_name=name, kind=kind)


def to_pending(world, hazard, evidence: bytes | None = None, name="after.jpg", client=None):
    """report + plan + completion; the evidence goes with the submission through the page."""
    hazard = services.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hazard = services.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    if client is None:
        services.submit_completion(world.user("enterprise"), hazard, evidence_note="已清理通道")
        hazard.refresh_from_db()
        if evidence is not None:
            upload(world, hazard, evidence, name, kind=Attachment.Kind.EVIDENCE)
        return hazard
    client_as(client, world, "enterprise")
    data = {"submit_completion-evidence_note": "已清理通道"}
    if evidence is not None:
        data["submit_completion-evidence"] = SimpleUploadedFile(name, evidence, "image/jpeg")
    assert client.post(f"/hazards/{hazard.pk}/actions/submit_completion/", data).status_code == 302
    hazard.refresh_from_db()
    return hazard


# ---------------------------------------------------------------- duplicates

def test_identical_file_on_the_same_hazard_is_refused(world, hazard):
    first = upload(world, hazard, photo("red"), name="门口.jpg")
    with pytest.raises(ServiceError) as exc:
        upload(world, hazard, photo("red"), name="again.jpg", kind=Attachment.Kind.EVIDENCE)
    assert exc.value.message.startswith("该文件已上传过（门口.jpg") and exc.value.field == "evidence"
    assert list(hazard.attachments.values_list("pk", flat=True)) == [first.pk]
    upload(world, hazard, photo("blue"))  # another file is fine
    assert hazard.attachments.count() == 2


def test_identical_file_on_another_hazard_of_the_enterprise_is_flagged(world, hazard):
    first = upload(world, hazard, photo("green"))
    other = make_general(world, description="疏散指示灯损坏")  # same enterprise 鑫隆商贸
    second = upload(world, other, photo("green"))
    assert second.duplicate_of_id == first.pk and second.sha256 == first.sha256
    elsewhere = make_general(world, ent=world.ent_commerce2)  # another enterprise: not a duplicate
    assert upload(world, elsewhere, photo("green"), persona="commerce").duplicate_of_id is None
    shown = review.shown([second], world.user("commerce"), other)[0]
    assert shown.duplicate_flag == f"与隐患 {hazard.number} 的证据相同" and shown.duplicate_pk == hazard.pk


def test_duplicate_flag_does_not_link_a_hazard_out_of_scope(world, hazard):
    # 鑫隆商贸 is a 消防重点单位: a fire-sector hazard of the same enterprise, outside 商务局's sectors
    gas = make_general(world, actor="enterprise", sector="fire", description="消防设施损坏")
    first = upload(world, gas, photo("navy"))
    second = upload(world, hazard, photo("navy"))
    assert second.duplicate_of_id == first.pk
    s = review.shown([second], world.user("commerce"), hazard)[0]
    assert s.duplicate_number == gas.number and s.duplicate_pk is None  # 商务局 may not open a fire hazard
    assert review.shown([second], world.user("emergency"), hazard)[0].duplicate_pk == gas.pk


def test_duplicate_upload_through_the_page_is_a_400_with_the_reason(client, world, hazard):
    client_as(client, world, "enterprise")
    url = f"/hazards/{hazard.pk}/attachments/"
    assert client.post(url, {"evidence": SimpleUploadedFile("a.jpg", photo("olive"))}).status_code == 302
    response = client.post(url, {"evidence": SimpleUploadedFile("b.jpg", photo("olive"))})
    assert response.status_code == 400 and "该文件已上传过（a.jpg" in response.content.decode()
    assert hazard.attachments.count() == 1


# ---------------------------------------------------------------- stage and submission

def test_stage_and_submission_of_each_file(client, world, hazard):
    before = upload(world, hazard, photo("red"), name="before.jpg")
    assert before.stage == "registered" and before.acceptance_id is None
    hazard = to_pending(world, hazard, photo("white"), client=client)
    after = hazard.attachments.get(original_name="after.jpg")
    acc = hazard.acceptances.get()
    assert after.kind == "evidence" and after.stage == "pending_acceptance" and after.acceptance_id == acc.pk
    late = upload(world, hazard, PDF_BYTES, name="report.pdf", kind=Attachment.Kind.ASSESSMENT)
    assert late.acceptance_id == acc.pk
    cmp = review.comparison(hazard, world.user("commerce"))
    assert cmp.acceptance == acc
    assert [s.att.pk for s in cmp.before] == [before.pk]
    assert [s.att.pk for s in cmp.after] == [after.pk] and [s.att.pk for s in cmp.after_documents] == [late.pk]


def test_after_a_rejection_the_new_submission_has_its_own_evidence(world, hazard):
    hazard = to_pending(world, hazard, photo("white"), name="round1.jpg")
    hazard = services.reject(world.user("commerce"), hazard, reason="出口仍上锁")
    services.submit_completion(world.user("enterprise"), hazard, evidence_note="门锁已拆除")
    hazard.refresh_from_db()
    upload(world, hazard, photo("yellow"), name="round2.jpg", kind=Attachment.Kind.EVIDENCE)
    cmp = review.comparison(hazard, world.user("commerce"))
    assert cmp.acceptance.decision == "pending" and [s.att.original_name for s in cmp.after] == ["round2.jpg"]


def test_no_comparison_before_any_submission(world, hazard):
    upload(world, hazard, photo("red"))
    assert review.comparison(hazard, world.user("commerce")) is None


# ---------------------------------------------------------------- EXIF time and place

def test_exif_time_and_place_read_for_display(world, hazard):
    # 31°14'24" S = -31.24°, 121°28'12" W = -121.47°
    att = upload(world, hazard, photo("red", when="2026:05:06 07:08:09",
                                      gps={1: "S", 2: (31.0, 14.0, 24.0), 3: "W", 4: (121.0, 28.0, 12.0)}))
    assert review.taken_at(att) == timezone.make_aware(datetime.datetime(2026, 5, 6, 7, 8, 9))
    assert review.place(att) == "南纬 31.240000° 西经 121.470000°"
    bare = upload(world, hazard, photo("blue"))
    assert review.taken_at(bare) is None and review.place(bare) == ""
    broken = Attachment(exif_time="not a date", exif_gps="x,y")
    assert review.taken_at(broken) is None and review.place(broken) == ""


def test_completion_photo_taken_before_registration_is_flagged(world, hazard):
    registered = timezone.localtime(hazard.created_at)
    old = (registered - datetime.timedelta(days=3)).strftime("%Y:%m:%d %H:%M:%S")
    new = (registered + datetime.timedelta(minutes=5)).strftime("%Y:%m:%d %H:%M:%S")
    hazard = to_pending(world, hazard, photo("white", when=old), name="old.jpg")
    upload(world, hazard, photo("pink", when=new), name="new.jpg", kind=Attachment.Kind.EVIDENCE)
    upload(world, hazard, photo("gray"), name="none.jpg", kind=Attachment.Kind.EVIDENCE)
    after = {s.att.original_name: s.flags for s in review.comparison(hazard, world.user("commerce")).after}
    assert after["old.jpg"] == [f"拍摄时间早于隐患登记时间（{registered:%Y-%m-%d %H:%M}）"]
    assert after["new.jpg"] == [] and after["none.jpg"] == []
    # the same old photo shown as a 'before' photo is not a problem
    h2 = make_general(world, description="安全出口指示灯不亮")
    upload(world, h2, photo("black", when="2001:01:01 00:00:00"))
    assert review.shown(h2.attachments.all(), world.user("commerce"), h2)[0].flags == []


def test_acceptor_sees_before_after_above_the_forms(client, world, hazard):
    upload(world, hazard, photo("red", when="2026:01:02 03:04:05"), name="现场.jpg")
    earlier = timezone.localtime(hazard.created_at) - datetime.timedelta(days=1)
    other = make_general(world, description="灭火器压力不足")
    upload(world, other, photo("white", when=earlier.strftime("%Y:%m:%d %H:%M:%S")), name="reused.jpg")
    hazard = to_pending(world, hazard, photo("white", when=earlier.strftime("%Y:%m:%d %H:%M:%S")), client=client)
    client_as(client, world, "commerce")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="before-after"' in page and 'data-testid="action-accept"' in page
    assert page.index('data-testid="before-after"') < page.index('data-testid="action-accept"')
    assert page.index('data-testid="before-after"') < page.index('data-testid="action-reject"')
    section = page[page.index('data-testid="before-after"'):page.index('data-testid="hazard-fields"')]
    before = section[section.index('data-testid="before"'):section.index('data-testid="after"')]
    after = section[section.index('data-testid="after"'):]
    assert "现场.jpg" in before and "拍摄于 2026-01-02 03:04:05 / 位置不详" in before
    assert "after.jpg" in after and f"与隐患 <a class=\"link-danger\" href=\"/hazards/{other.pk}/\">{other.number}</a> 的证据相同" in after
    assert "拍摄时间早于隐患登记时间" in after
    assert "col-12 col-md-6" in section  # two columns from md up, stacked on a phone


def test_photo_without_exif_says_so(client, world, hazard):
    upload(world, hazard, photo("red"))
    client_as(client, world, "commerce")
    assert "无拍摄信息" in client.get(f"/hazards/{hazard.pk}/").content.decode()


# ---------------------------------------------------------------- thumbnails

def test_thumbnail_is_a_small_jpeg_cached_on_disk(world, hazard):
    att = upload(world, hazard, photo("red", size=(1000, 500)))
    jpeg = thumbnails.thumbnail(att, 320)
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.format == "JPEG" and img.size == (320, 160)
    from django.core.files.storage import default_storage

    assert default_storage.exists(thumbnails.cache_name(att.sha256, 320))
    assert thumbnails.thumbnail(att, 320) == jpeg
    with pytest.raises(ValueError):
        thumbnails.thumbnail(att, 5000)


def test_thumbnail_applies_orientation_and_flattens_transparency(world, hazard):
    # EXIF orientation 6 = rotate 90° clockwise to display: a 400×200 picture shows 200×400
    att = upload(world, hazard, photo("red", size=(400, 200), orientation=6))
    with Image.open(io.BytesIO(thumbnails.thumbnail(att, 160))) as img:
        assert img.size == (80, 160)
    png = upload(world, hazard, photo((0, 0, 255, 0), size=(64, 64), mode="RGBA", fmt="PNG"), name="t.png")
    with Image.open(io.BytesIO(thumbnails.thumbnail(png, 160))) as img:
        assert img.mode == "RGB" and img.getpixel((32, 32)) == (255, 255, 255)  # transparent → white


def test_pdf_has_no_thumbnail_but_an_icon(client, world, hazard):
    att = upload(world, hazard, PDF_BYTES, name="方案.pdf", kind=Attachment.Kind.DOCUMENT)
    with pytest.raises(thumbnails.NoThumbnail):
        thumbnails.thumbnail(att)
    client_as(client, world, "enterprise")
    assert client.get(f"/hazards/{hazard.pk}/attachments/{att.pk}/thumb.jpg").status_code == 404
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="pdf-icon"' in page and f"/attachments/{att.pk}/thumb.jpg" not in page


def test_thumbnail_view(client, world, hazard):
    att = upload(world, hazard, photo("red", size=(900, 900)))
    client_as(client, world, "commerce")
    url = f"/hazards/{hazard.pk}/attachments/{att.pk}/thumb.jpg"
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'src="{url}?w=320"' in page
    response = client.get(url, {"w": 160})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(response.content)) as img:
        assert img.size == (160, 160)
    for bad in ("5000", "abc", "-1", "0"):
        response = client.get(url, {"w": bad})
        assert response.status_code == 400 and "缩略图宽度" in response.content.decode()
    assert client.get(f"/hazards/{hazard.pk}/attachments/{att.pk + 99}/thumb.jpg").status_code == 404


def test_thumbnail_permission_matrix(client, world, hazard, construction_hazard):
    att = upload(world, hazard, photo("red"))
    check_matrix(client, world, f"/hazards/{hazard.pk}/attachments/{att.pk}/thumb.jpg", {
        "committee": 200, "emergency": 200, "commerce": 200, "township": 200, "enterprise": 200,
        "enterprise_safety": 200,
        "housing": 404,  # other sector
        "township_other": 404, "other_region": 404,  # other township / other district
        "enterprise_other": 404, "agency": 404,  # other enterprise
        "nobody": 404, "anon": "login"})
    # an attachment id of one hazard under the URL of another hazard the user may see
    other = upload(world, construction_hazard, photo("blue"), persona="housing")
    check_matrix(client, world, f"/hazards/{hazard.pk}/attachments/{other.pk}/thumb.jpg", {"emergency": 404})
    check_matrix(client, world, f"/hazards/{construction_hazard.pk}/attachments/{other.pk}/thumb.jpg", {
        "housing": 200, "enterprise_other": 200, "commerce": 404, "enterprise": 404, "other_region": 404})


def test_migration_links_existing_files(world, hazard):
    """Files stored before the review fields: completion evidence gets its submission, a file
    already on another hazard of the enterprise its original (migration 0003's backfill)."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("hazards.migrations.0005_attachment_review").link_existing
    first = upload(world, hazard, photo("red"), name="first.jpg")
    hazard = to_pending(world, hazard, photo("white"), name="evidence.jpg")
    other = make_general(world, description="货架超高")
    upload(world, other, photo("red"), name="reused.jpg")
    Attachment.objects.update(acceptance=None, duplicate_of=None, stage="")  # as before the migration
    backfill(apps, None)
    acc = hazard.acceptances.get()
    got = {a.original_name: (a.acceptance_id, a.duplicate_of_id) for a in Attachment.objects.all()}
    assert got == {"first.jpg": (None, None), "evidence.jpg": (acc.pk, None), "reused.jpg": (None, first.pk)}


def test_detail_page_queries_do_not_grow_with_the_files(client, world, hazard):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = make_general(world, description="货架超高")
    hazard = to_pending(world, hazard)

    def count():
        client_as(client, world, "commerce")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/hazards/{hazard.pk}/").status_code == 200
        return len(ctx.captured_queries)

    def add(i):
        color = (i * 40 % 256, i * 7 % 256, 200)
        upload(world, other, photo(color), name=f"o{i}.jpg")  # each one a duplicate on the hazard
        upload(world, hazard, photo(color), name=f"b{i}.jpg")
        upload(world, hazard, photo((color[0], color[1], 100)), name=f"a{i}.jpg", kind=Attachment.Kind.EVIDENCE)

    add(0)
    few = count()
    for i in range(1, 6):
        add(i)
    assert count() == few
