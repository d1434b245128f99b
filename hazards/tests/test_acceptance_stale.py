"""An officer decides an acceptance on a copy of the hazard read before a colleague decided it:
the answer is the stale-state conflict (409, reload), not "没有待验收的整改材料" (400) — whichever
of the two checks the late decision meets first (the race in test_race.py meets either)."""

import pytest

from core.models import Event
from core.services import StaleState
from hazards import services
from hazards.models import Acceptance, Hazard

from .conftest import PLAN, make_major

pytestmark = pytest.mark.django_db


def _pending(world) -> Hazard:
    h = make_major(world)
    services.submit_plan(world.user("enterprise"), h, plan=PLAN)
    services.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
    return Hazard.objects.get(pk=h.pk)


@pytest.mark.parametrize("late", ["accept", "reject"])
def test_a_decision_on_a_copy_read_before_a_colleague_decided_is_stale(world, late):
    h = _pending(world)
    stale = Hazard.objects.get(pk=h.pk)
    services.accept(world.user("commerce_lead"), h, opinion="同意销号")
    with pytest.raises(StaleState):
        if late == "accept":
            services.accept(world.user("commerce"), stale, opinion="晚了")
        else:
            services.reject(world.user("commerce"), stale, reason="晚了")
    assert Event.objects.filter(object_type="hazards.hazard", object_id=h.pk, verb__in=["hazard.accept", "hazard.reject"]).count() == 1
    assert Acceptance.objects.get(hazard=h).decision == Acceptance.Decision.ACCEPTED


def test_a_hazard_that_waits_for_nothing_is_still_refused_as_such(world):
    """Not 待验收 at all (no completion submitted): the refusal names what is missing, not a conflict."""
    h = make_major(world)
    services.submit_plan(world.user("enterprise"), h, plan=PLAN)
    with pytest.raises(Exception) as info:
        services.accept(world.user("commerce"), Hazard.objects.get(pk=h.pk))
    assert not isinstance(info.value, StaleState) and "没有待验收的整改材料" in str(info.value)
