"""Evidence review on the hazard page (read-only): what the acceptor sees of each file — its
thumbnail, shooting time and place from EXIF, an identical file on another hazard — and the
before/after comparison of the completion submission under review.

Before: images that show the hazard (隐患照片, or anything uploaded while it was only 已登记) and
belong to no completion submission. After: images uploaded with (or for) the submission.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Acceptance, Attachment, Hazard

EXIF_FORMAT = "%Y:%m:%d %H:%M:%S"


def taken_at(att: Attachment) -> datetime.datetime | None:
    """EXIF DateTimeOriginal as an aware datetime. EXIF has no time zone (OffsetTimeOriginal is
    rarely written), so the camera's clock is read as local time (settings.TIME_ZONE)."""
    raw = (att.exif_time or "").strip().rstrip("\x00")
    try:
        naive = datetime.datetime.strptime(raw[:19], EXIF_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive)


def place(att: Attachment) -> str:
    """'北纬 39.160000° 东经 117.200000°' from the stored 'lat,lon', '' when absent or broken."""
    try:
        lat, lon = (float(x) for x in (att.exif_gps or "").split(","))
    except ValueError:
        return ""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return ""
    ns = "北纬" if lat >= 0 else "南纬"
    ew = "东经" if lon >= 0 else "西经"
    return f"{ns} {abs(lat):.6f}° {ew} {abs(lon):.6f}°"


def registered_at(hazard: Hazard) -> datetime.datetime:
    """When the hazard was first on record (a merged survivor keeps its earliest report)."""
    return min(hazard.created_at, hazard.first_reported_at)


@dataclass
class Shown:
    """One attachment as the review shows it."""

    att: Attachment
    taken: datetime.datetime | None = None
    place: str = ""
    duplicate_number: str = ""
    duplicate_pk: int | None = None  # set only when the viewer may open that hazard
    flags: list[str] = field(default_factory=list)

    @property
    def duplicate_flag(self) -> str:
        return f"与隐患 {self.duplicate_number} 的证据相同" if self.duplicate_number else ""

    @property
    def has_exif(self) -> bool:
        return self.taken is not None or bool(self.place)


def shown(atts, user, hazard: Hazard, *, after: bool = False) -> list[Shown]:
    """Wrap attachments for display; ``after`` adds the completion-evidence checks."""
    atts = list(atts)
    dup_hazards = {a.duplicate_of.hazard_id for a in atts if a.duplicate_of_id and a.duplicate_of}
    visible = set(Hazard.objects.visible_to(user).filter(pk__in=dup_hazards).values_list("pk", flat=True)) \
        if dup_hazards else set()
    since = registered_at(hazard)
    out = []
    for a in atts:
        s = Shown(att=a, taken=taken_at(a), place=place(a))
        if a.duplicate_of_id and a.duplicate_of:
            other = a.duplicate_of.hazard
            s.duplicate_number = other.number
            s.duplicate_pk = other.pk if other.pk in visible else None
        if after and s.taken is not None and s.taken < since:
            s.flags.append(f"拍摄时间早于隐患登记时间（{timezone.localtime(since):%Y-%m-%d %H:%M}）")
        out.append(s)
    return out


def attachments_for(hazard: Hazard):
    return hazard.attachments.select_related("duplicate_of__hazard").order_by("uploaded_at", "id")


@dataclass
class Comparison:
    acceptance: Acceptance
    before: list[Shown]
    after: list[Shown]
    after_documents: list[Shown]


def comparison(hazard: Hazard, user, atts: list[Attachment] | None = None) -> Comparison | None:
    """Before/after of the pending completion submission (else the latest one), or None when
    the hazard has none."""
    acceptances = list(hazard.acceptances.order_by("-submitted_at", "-id"))
    if not acceptances:
        return None
    acc = next((a for a in acceptances if a.decision == Acceptance.Decision.PENDING), acceptances[0])
    atts = list(atts) if atts is not None else list(attachments_for(hazard))
    before = [a for a in atts if a.is_image and a.acceptance_id is None
              and (a.kind == Attachment.Kind.PHOTO or a.stage == Hazard.Status.REGISTERED)]
    mine = [a for a in atts if a.acceptance_id == acc.pk]
    return Comparison(acceptance=acc, before=shown(before, user, hazard),
                      after=shown([a for a in mine if a.is_image], user, hazard, after=True),
                      after_documents=shown([a for a in mine if not a.is_image], user, hazard, after=True))
