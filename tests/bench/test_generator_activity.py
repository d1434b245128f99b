"""Generated supervision activity (inspections, enforcement, tips): reproducible, counted by the
apps' own dispatch functions, visible through their scoped querysets, identities encrypted."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bench.generator import generate
from core.models import Event
from regions.loader import TEST_FILE, load_regions
from regions.models import Region

COUNTY = "120105"


@pytest.fixture
def generated(db):
    load_regions(TEST_FILE)
    return generate("tiny", seed=7)["activity"]


def fingerprint() -> str:
    from enforcement.models import Case, Decision
    from inspections.models import Record, SpotCheck, Visit
    from tips.models import Reward, Tip

    rows = [
        # items joined in a stated order (PostgreSQL returns joined rows in any order otherwise)
        list(Record.objects.order_by("id", "items__sort_order", "items__id").values_list(
            "enterprise__credit_code", "organisation__name", "kind",
                                                        "inspected_on", "status", "items__text", "items__result")),
        list(SpotCheck.objects.order_by("id").values_list("enterprise__credit_code", "checked_on", "q2_2", "q2_3", "q2_6",
                                                          "q2_7", "q2_8", "q2_9")),
        list(Visit.objects.order_by("id").values_list("kind", "visited_on", "organisation__name")),
        list(Case.objects.order_by("id").values_list("enterprise__credit_code", "stage", "title", "opened_on", "closed_on")),
        list(Decision.objects.order_by("id").values_list("kind", "party__role", "amount", "article__article", "decided_on")),
        list(Tip.objects.order_by("id").values_list("tracking_hash", "status", "anonymous", "result", "assigned_org__name")),
        list(Reward.objects.order_by("id").values_list("amount", "status", "paid_on")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def wipe_generated() -> None:
    from core.immutable import maintenance
    from enforcement import models as E
    from enterprises.models import Enterprise
    from hazards.models import Hazard, HazardSource
    from inspections import models as I
    from tips.models import Reward, Tip

    with maintenance():  # generated legal records (events, decisions, signed records) are wiped on purpose
        Event.objects.all().delete()
        Reward.objects.all().delete()
        Tip.objects.update(duplicate_of=None)
        Tip.objects.all().delete()
        E.Decision.objects.update(lifts=None)  # a resumption protects the suspension it lifts
        for model in (E.Decision, E.TypicalCase, E.EnterpriseMeasure, E.Accountability, E.OversightNotice, E.CaseParty,
                      E.Case, I.RecordItem, I.RecordInspector, I.Record, I.SpotCheck, I.Visit, HazardSource, Hazard):
            model.objects.all().delete()
        Enterprise.objects.filter(name__startswith="GEN").delete()


def test_same_seed_same_activity(generated):
    from hazards.models import Hazard

    assert generated["records"] == 30 and generated["cases"] == 10 and generated["tips"] == 10
    first = fingerprint()
    hazards = list(Hazard.objects.order_by("id").values_list("enterprise__credit_code", "grade", "status", "found_on"))
    wipe_generated()
    generate("tiny", seed=7)
    assert fingerprint() == first
    # the hazard data does not depend on the activity generator
    assert list(Hazard.objects.order_by("id").values_list("enterprise__credit_code", "grade", "status", "found_on")) == hazards
    assert generate("tiny", seed=7)["activity"] == {"skipped": True}  # idempotent


def test_dispatch_functions_count_what_was_generated(generated):
    from enforcement import dispatch as enforcement_dispatch
    from inspections import dispatch as inspections_dispatch
    from tips import dispatch as tips_dispatch

    county = Region.objects.get(code=COUNTY)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=400)
    rows = inspections_dispatch.region_rows(county, start, today)
    assert rows["2.1"] == generated["spot_enterprises"] > 0
    for code, n in generated["spot_found"].items():
        assert rows[code] == n, code
    assert (rows["3.1"], rows["3.2"], rows["4.8"]) == (
        generated["visits"]["help_township"], generated["visits"]["help_enterprise"], generated["visits"]["supervision"])

    e = generated["enforcement"]
    rows = enforcement_dispatch.region_rows(county, start, today)
    assert rows["3.3"] == e["penalties"] > 0
    assert rows["3.3_amount"] == (e["amount"] / Decimal(10000)).quantize(Decimal("0.0001"))
    assert (rows["3.4"], rows["3.5"], rows["3.6"], rows["3.7"]) == (
        e["double"], e["transfers"], e["suspended_enterprises"], e["measure_enterprises"])
    assert (rows["3.8"], rows["3.8_dangerous_ops"], rows["3.9"], rows["3.10"]) == (
        e["typical"], e["typical_dangerous"], e["accountability"], e["notices"])

    t = generated["tip_counts"]
    rows = tips_dispatch.region_rows(county, start, today)
    assert rows["4.5"] == (t["paid"] / Decimal(10000)).quantize(Decimal("0.0001")) and t["paid"] > 0
    assert rows["4.5_anonymous"] == (t["paid_anonymous"] / Decimal(10000)).quantize(Decimal("0.0001"))


def test_every_state_change_has_its_event(generated):
    from enforcement.models import Case
    from inspections.models import Record
    from tips.models import Tip

    for model, object_type in ((Record, "inspections.record"), (Case, "enforcement.case"), (Tip, "tips.tip")):
        for obj in model.objects.all():
            states = [s for s in Event.objects.filter(object_type=object_type, object_id=obj.pk).exclude(to_state="")
                      .order_by("created_at", "id").values_list("to_state", flat=True)]
            assert states and states[-1] == (obj.stage if model is Case else obj.status), obj
    assert Event.objects.filter(verb="inspection.spot_check").count() == generated["spot_checks"]


def test_every_generated_resumption_lifts_a_suspension_of_its_case_decided_before_it(generated):
    from enforcement import services
    from enforcement.models import Case, Decision

    resumptions = list(Decision.objects.filter(kind="resumption").select_related("lifts"))
    assert resumptions, "the tiny profile generates no resumption: nothing proved"
    for r in resumptions:
        assert r.lifts is not None and r.lifts.kind == "suspension" and r.lifts.case_id == r.case_id, r
        assert r.lifts.decided_on <= r.decided_on
    for case in Case.objects.filter(pk__in=[r.case_id for r in resumptions]):
        assert services.suspension_in_force(case) is None
    # a case is not closed while its suspension is in force (安全生产法 art. 65(一)(三)): the generator does not either
    assert Decision.objects.filter(kind="suspension", case__stage="closed").exists(), "no closed suspended case: nothing proved"
    for case in Case.objects.filter(stage="closed", decisions__kind="suspension").distinct():
        assert services.suspension_in_force(case) is None, case


def test_visible_to_the_county_committee_and_detail_pages_render(generated, client):
    from enforcement.models import Case, Decision
    from inspections.models import Record, SpotCheck, Visit
    from tips.models import Tip

    user = get_user_model().objects.get(username=f"gen{COUNTY}committee1")
    for model, n in ((Record, generated["records"]), (SpotCheck, generated["spot_checks"]),
                     (Visit, sum(generated["visits"].values())), (Case, generated["cases"]), (Tip, generated["tips"])):
        assert model.objects.visible_to(user).count() == n, model
    assert Decision.objects.visible_to(user).count() == Decision.objects.count() > 0
    client.force_login(user)
    urls = [f"/inspections/records/{Record.objects.first().pk}/", f"/inspections/visits/{Visit.objects.first().pk}/",
            "/inspections/spot-checks/", f"/enforcement/cases/{Decision.objects.first().case_id}/",
            f"/tips/{Tip.objects.exclude(status='submitted').first().pk}/"]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_tip_identities_are_encrypted(generated):
    from tips import protection
    from tips.models import Tip

    named = list(Tip.objects.filter(anonymous=False))
    assert named and Tip.objects.filter(anonymous=True).exists()
    for tip in named:
        name, phone = protection.decrypt(tip.reporter_name_enc), protection.decrypt(tip.reporter_phone_enc)
        assert name.startswith("举报人") and len(phone) == 11
        stored = repr(Tip.objects.filter(pk=tip.pk).values().get())
        assert name not in stored and phone not in stored
    assert not Tip.objects.filter(anonymous=True).exclude(reporter_name_enc="").exists()
    assert all(len(h) == 64 for h in Tip.objects.values_list("tracking_hash", flat=True))
