"""Demo: 河北区安委办's indicator set for the current year, computed (after the accident demo)."""

from django.utils import timezone

from . import services
from .models import IndicatorSet


def load(ctx) -> None:
    committee = ctx["orgs"]["committee"]
    year = timezone.localdate().year
    if IndicatorSet.objects.filter(organisation=committee, year=year).exists():
        return
    s = services.create_set(ctx["users"]["hb_anweiban"], year=year, name=f"河北区{year}年度安全生产目标责任考评")
    services.compute(ctx["users"]["hb_anweiban"], s)
