"""Supervision activity for the generated dataset: inspection records, spot-checks, visits,
enforcement cases and tips — written through bulk paths exactly as the services would write
them (each state change with its event), for the dispatch table rows 2.1–2.9, 3.1–3.10, 4.5, 4.8.

Randomness comes from its own ``random.Random`` derived from the profile seed, so the hazard
data (and its fingerprint) does not change. Same seed → same activity rows.
"""

import random
import time

from django.utils import timezone

from bench.activity_common import SCALE, load_counties, load_enterprises
from bench.activity_enforcement import gen_cases
from bench.activity_inspections import gen_inspections
from bench.activity_tips import gen_tips
from inspections.models import Record
from regions.models import Region


def generate_activity(profile_name: str, seed: int, *, stdout=None, batch: int = 5000) -> dict:
    from bench.generator import PROFILES
    profile = PROFILES[profile_name]
    log = stdout.write if stdout else (lambda s: None)
    started = time.monotonic()
    prefix = f"GEN{profile.region_code}-{seed}-"
    ents = load_enterprises(prefix)
    if not ents:
        return {"activity": {}}
    if Record.objects.filter(enterprise__name__startswith=prefix).exists():
        log("activity already present\n")
        return {"activity": {"skipped": True}}
    rng = random.Random(f"activity-{profile_name}-{seed}")
    counties = load_counties(Region.objects.get(code=profile.region_code))
    today = timezone.localdate()
    n_records, n_cases, n_tips = SCALE[profile_name]
    summary: dict = {}
    n_events = gen_inspections(rng, ents, counties, n_records, today, batch, summary)
    log(f"inspections: {summary['records']} records ({time.monotonic() - started:.1f}s)\n")
    n_events += gen_cases(rng, ents, counties, n_cases, today, batch, summary)
    log(f"enforcement: {summary['cases']} cases ({time.monotonic() - started:.1f}s)\n")
    n_events += gen_tips(rng, ents, counties, n_tips, today, batch, summary)
    log(f"tips: {summary['tips']} tips ({time.monotonic() - started:.1f}s)\n")
    summary["events"] = n_events
    summary["seconds"] = round(time.monotonic() - started, 1)
    return {"activity": summary}
