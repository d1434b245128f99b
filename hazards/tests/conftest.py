"""Fixtures of the hazard ledger tests: hazards in the demo world, image/PDF bytes."""

import datetime
import io

import pytest
from django.utils import timezone

from accounts.models import Sector
from hazards import services

PLAN = dict(goal_tasks="消除隐患", measures="加装报警装置", funds_materials="5万元，已落实", responsible="设备部 张三",
            deadline=datetime.date(2030, 1, 31), safety_emergency="停用该区域，应急预案已修订")


def make_major(world, actor="enterprise", ent=None, days=30, **kw):
    return services.register_hazard(
        world.user(actor), enterprise=ent or world.ent_commerce, sector=Sector.objects.get(code="commerce"),
        description="消防通道被占用，安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
        deadline=timezone.localdate() + datetime.timedelta(days=days), **kw)


def make_general(world, actor="commerce", ent=None, sector="commerce", **kw):
    return services.register_hazard(
        world.user(actor), enterprise=ent or world.ent_commerce, sector=Sector.objects.get(code=sector),
        description=kw.pop("description", "灭火器过期"), grade="general", **kw)


@pytest.fixture
def hazard(world):
    """A major self-found hazard of 鑫隆商贸 (the 'enterprise' persona), registered."""
    return make_major(world)


@pytest.fixture
def construction_hazard(world):
    return make_general(world, actor="housing", ent=world.ent_construction, sector="construction",
                        description="脚手架未设置连墙件")


def jpeg_bytes(exif: bool = False) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (8, 8), "red")
    buf = io.BytesIO()
    if exif:
        ex = Image.Exif()
        ex[0x8769] = {0x9003: "2026:03:01 10:20:30"}
        ex[0x8825] = {1: "N", 2: (39.0, 9.0, 36.0), 3: "E", 4: (117.0, 12.0, 0.0)}
        img.save(buf, "JPEG", exif=ex)
    else:
        img.save(buf, "JPEG")
    return buf.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    return buf.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _jobs_inline(settings, tmp_path):
    """Imports and exports are queue jobs; here they run inside the request that submits them."""
    settings.QINGLING_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
