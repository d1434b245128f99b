"""Setting up units (create_organisation / ensure_organisation) and designating who may reveal a
whistle-blower's identity (set_identity_revealer) hold the account rule (docs/accounts.md) whoever
calls them. Expected answers are written from the rule, as literals, never read from the code:

* units — a committee office's administrators (单位管理员, 负责人) set up the government units
  (安委办, 行业部门, 乡镇（街道）) of its region and below, the units whose people it keeps; superusers
  and system jobs any unit; nobody else any;
* revealers — whoever manages the person's account, never for themselves; only government staff
  can be designated (RULES.md §1 identity protection: designated keepers only)."""

import itertools

import pytest
from django.contrib.auth.models import Permission

from accounts import account_rules as rules
from accounts import services
from accounts.account_rules import Facts
from accounts.models import DepartmentType, Organisation
from core.models import Event, SecurityLog
from core.services import NotPermitted, ServiceError
from regions.models import Region

pytestmark = pytest.mark.django_db

K = Organisation.Kind


# ---------------------------------------------------------------- the pure decision for units

def unit_oracle(f: Facts) -> str:
    if f.system or f.superuser:
        return "ok"
    if not f.administrator:
        return "not_admin"
    return "ok" if f.in_scope else "scope"


UNIT_CODES = {"": "ok", rules.UNIT_NOT_AN_ADMINISTRATOR: "not_admin", rules.UNIT_OUT_OF_SCOPE: "scope"}


def test_the_unit_decision_matches_the_oracle_for_every_combination_of_facts():
    for values in itertools.product((False, True), repeat=6):
        facts = Facts(*values)
        assert UNIT_CODES[rules.unit_refusal(facts)] == unit_oracle(facts), facts


# ---------------------------------------------------------------- who sets up which unit

def _places(world):
    """(kind, region) of the new units tried: a department of 河北区, a township office of 光复道街道,
    a committee office of 河东区 (another district), an agency and an enterprise unit in 河北区."""
    hedong = world.ent_other_region.region.parent
    return {
        "district_department": (K.DEPARTMENT, world.district),
        "township_office": (K.TOWNSHIP, world.townships[0]),
        "other_district_committee": (K.COMMITTEE, hedong),
        "agency": (K.AGENCY, world.district),
        "enterprise_unit": (K.ENTERPRISE, world.district),
    }


ALL_UNITS = {"district_department", "township_office", "other_district_committee", "agency", "enterprise_unit"}
#: persona → the units it may set up (from the rule above)
SETS_UP = {
    "admin": ALL_UNITS,  # superuser
    "committee_lead": {"district_department", "township_office"},  # 区安委办 负责人: its district and below
    "province_lead": {"district_department", "township_office", "other_district_committee"},  # 市安委办: the whole city
    "other_committee_lead": {"other_district_committee"},  # 河东区安委办: its own district only (another region)
    # refused: a department (another sector, the comprehensive one), a township office, an enterprise,
    # an agency — administrators of their own units, not of units to set up — and every non-administrator
    "commerce_lead": set(), "housing_lead": set(), "emergency_lead": set(), "township_lead": set(),
    "other_region_lead": set(), "enterprise": set(), "enterprise_other": set(), "agency_lead": set(),
    "committee": set(), "commerce": set(), "nobody": set(),
}
#: personas refused because they administer no committee office (the rest are refused for the scope)
NOT_COMMITTEE_ADMIN = {"commerce_lead", "housing_lead", "emergency_lead", "township_lead", "other_region_lead",
                       "enterprise", "enterprise_other", "agency_lead", "committee", "commerce", "nobody"}


@pytest.mark.parametrize("actor", sorted(SETS_UP))
def test_each_persona_sets_up_exactly_the_units_the_rule_gives_it(leads, actor):
    world = leads
    user = world.user(actor)
    for unit, (kind, region) in _places(world).items():
        reason = rules.organisation_refusal(user, kind=kind, region=region)
        if unit in SETS_UP[actor]:
            assert reason == "", (actor, unit, reason)
        elif actor in NOT_COMMITTEE_ADMIN:
            assert reason == rules.UNIT_NOT_AN_ADMINISTRATOR, (actor, unit, reason)
        else:
            assert reason == rules.UNIT_OUT_OF_SCOPE, (actor, unit, reason)


def _department(actor, region, name="河北区新设局"):
    return services.create_organisation(actor, kind=K.DEPARTMENT, name=name, region=region,
                                        department_type=DepartmentType.objects.get(code="commerce"))


def test_a_committee_office_leader_sets_up_a_department_of_its_district_with_an_event(leads):
    world = leads
    lead = world.user("committee_lead")
    org = _department(lead, world.district)
    event = Event.objects.get(verb="organisation.created", object_type="accounts.organisation", object_id=org.pk)
    assert event.actor == lead and event.data["region"] == world.district.code
    # ensure_organisation finds it again for the same leader, and for the city office above
    assert services.ensure_organisation(lead, kind=K.DEPARTMENT, name="河北区新设局", region=world.district) == org
    assert services.ensure_organisation(world.user("province_lead"), kind=K.DEPARTMENT, name="河北区新设局",
                                        region=world.district) == org


@pytest.mark.parametrize("actor, reason", [
    ("other_committee_lead", rules.UNIT_OUT_OF_SCOPE),  # another district's committee office
    ("commerce_lead", rules.UNIT_NOT_AN_ADMINISTRATOR),  # a department (its sector)
    ("housing_lead", rules.UNIT_NOT_AN_ADMINISTRATOR),  # a department of another sector
    ("township_lead", rules.UNIT_NOT_AN_ADMINISTRATOR),
    ("enterprise", rules.UNIT_NOT_AN_ADMINISTRATOR),  # an enterprise's principal
    ("enterprise_other", rules.UNIT_NOT_AN_ADMINISTRATOR),  # another enterprise's principal
    ("committee", rules.UNIT_NOT_AN_ADMINISTRATOR),  # the committee office's officer
    ("nobody", rules.UNIT_NOT_AN_ADMINISTRATOR),
])
def test_setting_up_a_unit_outside_the_rule_is_refused_and_writes_nothing(leads, actor, reason):
    world = leads
    units, events = Organisation.objects.count(), Event.objects.filter(verb="organisation.created").count()
    with pytest.raises(NotPermitted) as exc:
        _department(world.user(actor), world.district)
    assert exc.value.message == reason
    # ensure_organisation is refused the same way, also for a unit that exists (the answer does not say so)
    with pytest.raises(NotPermitted):
        services.ensure_organisation(world.user(actor), kind=K.DEPARTMENT, name="河北区商务局", region=world.district)
    assert Organisation.objects.count() == units
    assert Event.objects.filter(verb="organisation.created").count() == events


def test_an_agency_is_set_up_by_a_superuser_not_by_a_committee_office(leads):
    world = leads
    with pytest.raises(NotPermitted):
        services.create_organisation(world.user("committee_lead"), kind=K.AGENCY, name="新安评公司", region=world.district)
    agency = services.create_organisation(world.user("admin"), kind=K.AGENCY, name="新安评公司", region=world.district)
    assert agency.kind == K.AGENCY


@pytest.mark.parametrize("actor", ["admin", None, "committee_lead"])
@pytest.mark.parametrize("how", ["create", "ensure"])
def test_nobody_sets_up_an_enterprises_login_unit_on_its_own(leads, actor, how):
    """An enterprise's login unit is opened with its first account (open_enterprise_account, which
    links it to the enterprise); set up on its own — by a superuser, a system job, anyone — it would be
    linked to no enterprise. Refused on ``kind`` in Chinese, nothing written."""
    world = leads
    user = world.user(actor) if actor else None
    units, events = Organisation.objects.count(), Event.objects.count()
    setup = services.create_organisation if how == "create" else services.ensure_organisation
    with pytest.raises(ServiceError) as exc:
        # the name of an enterprise login unit that exists: ensure_organisation does not hand it out either
        setup(user, kind=K.ENTERPRISE, name=world.ent_commerce.organisation.name, region=world.ent_commerce.region)
    assert exc.value.field == "kind" and "随其第一个账户开通" in exc.value.message
    assert (Organisation.objects.count(), Event.objects.count()) == (units, events)


def test_an_enterprises_login_unit_is_still_opened_with_its_first_account(world):
    ent = next(e for e in world.enterprises if not e.organisation_id)  # one without an account yet
    user = services.open_enterprise_account(world.user("admin"), ent, username="qy_haihe", password="Haihe-2026-kl!",
                                            role="principal", full_name="海河之星负责人")
    ent.refresh_from_db()
    assert ent.organisation.kind == K.ENTERPRISE and user.membership.organisation == ent.organisation


def test_a_unit_is_edited_under_the_same_rule_as_it_is_set_up_with_its_changes_in_the_event(leads):
    """update_organisation (the Django admin's unit page): the district committee office's leader
    edits its department, a department's own leader and another district's office do not."""
    world = leads
    org = world.org("commerce")
    phone = org.phone
    assert phone != "022-1"
    for actor, reason in (("commerce_lead", rules.UNIT_NOT_AN_ADMINISTRATOR),
                          ("other_committee_lead", rules.UNIT_OUT_OF_SCOPE)):
        with pytest.raises(NotPermitted) as exc:
            services.update_organisation(world.user(actor), org, phone="022-1")
        assert exc.value.message == reason
    lead = world.user("committee_lead")
    services.update_organisation(lead, org, phone="022-1", is_active=True)  # active already: not a change
    org.refresh_from_db()
    assert org.phone == "022-1"
    event = Event.objects.get(verb="organisation.updated", object_id=org.pk)
    assert event.actor == lead and event.data == {"changes": {"phone": [phone, "022-1"]}}
    assert (event.from_state, event.to_state) == ("", "")
    with pytest.raises(ServiceError):
        services.update_organisation(lead, org, region=world.townships[0])  # a unit does not move
    services.update_organisation(lead, org, phone="022-1")
    assert Event.objects.filter(verb="organisation.updated", object_id=org.pk).count() == 1  # nothing changed


def test_system_jobs_still_set_up_units_without_an_actor(world):
    region = Region.objects.get(code=world.ent_other_region.region.parent.code)
    org = services.ensure_organisation(None, kind=K.COMMITTEE, name="河东区安全生产委员会办公室", region=region)
    assert Event.objects.filter(verb="organisation.created", object_id=org.pk, actor__isnull=True).exists()


# ---------------------------------------------------------------- identity revealers

def _is_revealer(user) -> bool:
    perm = Permission.objects.get(content_type__app_label="tips", codename="reveal_identity")
    return user.user_permissions.filter(pk=perm.pk).exists()


@pytest.mark.parametrize("actor", ["commerce_lead", "committee_lead", "province_lead", "admin"])
def test_who_manages_the_account_designates_a_revealer_with_an_event_and_a_log_row(leads, actor):
    """The 商务局 officer: its own leader, the district and city committee offices, a superuser."""
    world = leads
    officer = world.user("commerce")
    services.set_identity_revealer(world.user(actor), officer, allowed=True)
    assert _is_revealer(officer)
    services.set_identity_revealer(world.user(actor), officer, allowed=False)
    assert not _is_revealer(officer)
    events = Event.objects.filter(verb="user.revealer_set", object_id=officer.membership.pk).order_by("pk")
    assert [(e.actor, e.from_state, e.to_state) for e in events] == [
        (world.user(actor), "False", "True"), (world.user(actor), "True", "False")]
    assert SecurityLog.objects.filter(user=world.user(actor), detail__target=officer.username).count() == 2


@pytest.mark.parametrize("actor, target, reason", [
    ("housing_lead", "commerce", rules.OUT_OF_SCOPE),  # a department of another sector
    ("other_region_lead", "commerce", rules.OUT_OF_SCOPE),  # another district
    ("other_committee_lead", "commerce", rules.OUT_OF_SCOPE),  # another district's committee office
    ("emergency_lead", "commerce", rules.OUT_OF_SCOPE),  # a department does not keep another's people
    ("enterprise", "commerce", rules.OUT_OF_SCOPE),  # an enterprise's principal
    ("enterprise_other", "enterprise_safety", rules.OUT_OF_SCOPE),  # another enterprise
    ("committee", "commerce", rules.NOT_AN_ADMINISTRATOR),  # an officer administers nothing
    ("commerce", "commerce_lead", rules.NOT_AN_ADMINISTRATOR),
    ("nobody", "commerce", rules.NOT_AN_ADMINISTRATOR),
])
def test_designating_outside_the_rule_is_refused_and_writes_nothing(leads, actor, target, reason):
    world = leads
    with pytest.raises(NotPermitted) as exc:
        services.set_identity_revealer(world.user(actor), world.user(target), allowed=True)
    assert exc.value.message == reason
    assert not _is_revealer(world.user(target))
    assert not Event.objects.filter(verb="user.revealer_set").exists()


def test_no_one_designates_themselves(leads):
    world = leads
    lead = world.user("commerce_lead")
    with pytest.raises(ServiceError) as exc:
        services.set_identity_revealer(lead, lead, allowed=True)
    assert exc.value.message == rules.SELF[rules.Action.REVEALER] and exc.value.field == "user"
    assert not _is_revealer(lead)


def test_a_person_without_a_unit_is_designated_by_superusers_only(leads):
    world = leads
    nobody = world.user("nobody")
    with pytest.raises(NotPermitted):
        services.set_identity_revealer(world.user("committee_lead"), nobody, allowed=False)
    with pytest.raises(ServiceError, match="只有政府部门的人员"):  # a superuser passes the rule; the person does not fit
        services.set_identity_revealer(world.user("admin"), nobody, allowed=True)


def test_an_enterprise_principal_cannot_designate_its_own_staff(world):
    """In scope (its own enterprise), but enterprise staff are never designated."""
    with pytest.raises(ServiceError, match="只有政府部门的人员"):
        services.set_identity_revealer(world.user("enterprise"), world.user("enterprise_safety"), allowed=True)
    assert not _is_revealer(world.user("enterprise_safety"))


@pytest.mark.parametrize("actor", ["agency_lead", "admin", None])
def test_a_third_party_expert_is_never_designated(leads, actor):
    """Only government staff keep reporters' identities (RULES.md §1: one designated keeper of the report materials;
    tips go to government units); an agency's expert is not one, whoever designates — even its own leader,
    a superuser or a system job."""
    world = leads
    expert = world.user("agency")
    with pytest.raises(ServiceError, match="只有政府部门的人员"):
        services.set_identity_revealer(world.user(actor) if actor else None, expert, allowed=True)
    assert not _is_revealer(expert)
