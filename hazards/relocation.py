"""属地管理 when an enterprise moves: its hazards still being rectified follow it.

Listed in ``hazards.services.SERVICE_MODULES``. A hazard keeps the place it was registered in once
it is over (closed, void, merged: the record of what happened where). One still open is work in
progress that the township and county where the enterprise now is supervise, so it moves with the
enterprise, one ``hazard.relocated`` event each (from/to codes) in the caller's transaction; the
tallies' triggers move its count. Figures as of a past date count a moved hazard where it is now
(the event trail keeps states, not places)."""

from core.events import record

from . import workflow
from .models import Hazard


def follow_enterprise(actor, enterprise) -> int:
    """Move the enterprise's open hazards to its region; returns how many moved. Run inside the
    transaction that moved the enterprise."""
    codes = enterprise.region_codes()
    moving = list(Hazard.objects.filter(enterprise=enterprise, status__in=workflow.OPEN_STATES)
                  .exclude(**codes).select_for_update().order_by("pk"))
    for hazard in moving:
        record(actor, "hazard.relocated", hazard,
               data={"from": hazard.region_codes(), "to": codes, "reason": "enterprise_moved"})
    if moving:
        Hazard.objects.filter(pk__in=[h.pk for h in moving]).update(**codes)
    return len(moving)
