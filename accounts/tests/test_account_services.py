"""The account services (accounts/services.py) hold the rule of account_rules themselves — whoever
calls them, page, API or script — and every change writes its event in the same transaction.
Expected answers are the rule's (docs/accounts.md), written here as literals."""

import pytest
from django.contrib.auth import get_user_model

from accounts import services
from accounts.models import Membership, Organisation
from core.models import Event, SecurityLog
from core.services import NotPermitted, ServiceError, StaleState

User = get_user_model()
PASSWORD = "Zq7-anquan-2026"


def _events(verb, membership):
    return Event.objects.filter(verb=verb, object_type="accounts.membership", object_id=membership.pk)


def _new(actor, org, username="new_person", role=None, **kw):
    role = role or (Membership.Role.STAFF if org.kind == Organisation.Kind.ENTERPRISE else Membership.Role.OFFICER)
    return services.create_user(actor, username=username, password=PASSWORD, organisation=org, role=role,
                                full_name="新同事", **kw)


# ---------------------------------------------------------------- create_user

@pytest.mark.parametrize("actor, unit", [
    ("enterprise", "xinlong"),  # 鑫隆's principal, in its own enterprise
    ("commerce_lead", "xinlong"),  # the 商务局 leader, an enterprise of its sector
    ("township_lead", "xinlong"),  # the 光复道街道 leader, an enterprise of its township
    ("committee_lead", "commerce"),  # the 区安委办 leader, a department of its district
    ("province_lead", "township0"),  # the 市安委办 leader, a township office below it
    ("commerce_lead", "commerce"),  # a leader, its own department
])
def test_an_administrator_creates_an_account_in_its_scope_with_an_event_and_a_log_row(leads, actor, unit):
    world = leads
    org = world.user("enterprise").membership.organisation if unit == "xinlong" else world.org(unit)
    user = _new(world.user(actor), org)
    membership = user.membership
    assert membership.organisation == org and user.check_password(PASSWORD)
    event = _events("user.created", membership).get()
    assert event.actor == world.user(actor) and event.to_state == membership.role
    assert SecurityLog.objects.filter(kind="account_created", user=world.user(actor), detail__target=user.username).exists()


@pytest.mark.parametrize("actor, unit, reason", [
    ("committee", "xinlong", "只有单位管理员"),  # an officer administers nothing
    ("commerce", "commerce", "只有单位管理员"),  # not even its own unit
    ("enterprise_safety", "xinlong", "只有单位管理员"),
    ("agency", "xinlong", "只有单位管理员"),
    ("nobody", "xinlong", "只有单位管理员"),
    ("housing_lead", "xinlong", "不在您的账户管理范围内"),  # another sector
    ("other_region_lead", "xinlong", "不在您的账户管理范围内"),  # another district
    ("other_committee_lead", "commerce", "不在您的账户管理范围内"),  # another district's committee office
    ("township_other_lead", "xinlong", "不在您的账户管理范围内"),  # another township
    ("enterprise_other", "xinlong", "不在您的账户管理范围内"),  # another enterprise
    ("emergency_lead", "commerce", "不在您的账户管理范围内"),  # a department does not keep another's people
    ("commerce_lead", "township0", "不在您的账户管理范围内"),
    ("agency_lead", "xinlong", "不在您的账户管理范围内"),
])
def test_creating_an_account_outside_the_scope_is_refused_and_writes_nothing(leads, actor, unit, reason):
    world = leads
    org = world.user("enterprise").membership.organisation if unit == "xinlong" else world.org(unit)
    user = world.user(actor)
    users, events = User.objects.count(), Event.objects.filter(verb="user.created").count()
    with pytest.raises(NotPermitted, match=reason):
        _new(user, org)
    assert User.objects.count() == users and Event.objects.filter(verb="user.created").count() == events


def test_creating_checks_the_unit_the_role_the_name_and_the_password(world):
    lead, org = world.user("commerce_lead"), world.org("commerce")
    with pytest.raises(ServiceError, match="“主要负责人”不适用于行业部门") as exc:
        _new(lead, org, role=Membership.Role.PRINCIPAL)
    assert exc.value.field == "role" and "principal" not in exc.value.message
    with pytest.raises(ServiceError, match="登录名已被使用") as exc:
        _new(lead, org, username="hb_shangwu")
    with pytest.raises(ServiceError, match="登录名只能包含") as exc:
        _new(lead, org, username="有 空格")
    with pytest.raises(ServiceError) as exc:
        services.create_user(lead, username="weak_pw", password="12345678", organisation=org, role="officer")
    assert exc.value.field == "password" and not User.objects.filter(username="weak_pw").exists()
    Organisation.objects.filter(pk=org.pk).update(is_active=False)
    org.refresh_from_db()
    with pytest.raises(ServiceError, match="该单位已停用"):
        _new(world.user("committee_lead"), org)


def test_enterprise_staff_are_never_inspectors(world):
    with pytest.raises(ServiceError) as exc:
        _new(world.user("enterprise"), world.user("enterprise").membership.organisation, is_inspector=True)
    assert exc.value.field == "is_inspector"


def test_system_jobs_still_create_accounts_without_an_actor(world):
    user = services.create_user(None, username="loader_made", password=None, organisation=world.org("commerce"),
                                role="officer")
    assert not user.has_usable_password()
    assert _events("user.created", user.membership).get().actor_role == "system"


# ---------------------------------------------------------------- change_role

def test_an_administrator_changes_a_role_with_an_event_and_a_log_row(world):
    membership = world.user("enterprise_safety").membership
    services.change_role(world.user("enterprise"), membership, Membership.Role.STAFF)
    membership.refresh_from_db()
    assert membership.role == "staff"
    event = _events("user.role_changed", membership).get()
    assert (event.from_state, event.to_state, event.actor) == ("safety_manager", "staff", world.user("enterprise"))
    assert SecurityLog.objects.filter(kind="role_changed", detail__target="qy_xinlong_aq").exists()


@pytest.mark.parametrize("actor, target", [
    ("commerce", "enterprise_safety"),  # an officer
    ("enterprise_safety", "enterprise"),  # a safety manager cannot promote or demote anyone
    ("housing_lead", "enterprise_safety"),  # another sector
    ("other_region_lead", "enterprise_safety"),  # another district
    ("enterprise_other", "enterprise_safety"),  # another enterprise
    ("emergency_lead", "commerce"),  # another department
])
def test_a_role_change_outside_the_scope_is_refused(leads, actor, target):
    world = leads
    membership = world.user(target).membership
    old = membership.role
    with pytest.raises(NotPermitted):
        services.change_role(world.user(actor), membership, Membership.Role.VIEWER)
    membership.refresh_from_db()
    assert membership.role == old and not _events("user.role_changed", membership).exists()


@pytest.mark.parametrize("persona, role", [("commerce_lead", "admin"), ("commerce_lead", "officer"),
                                           ("enterprise", "staff"), ("committee_lead", "admin")])
def test_no_one_changes_their_own_role(world, persona, role):
    user = world.user(persona)
    with pytest.raises(ServiceError, match="不能变更自己的角色"):
        services.change_role(user, user.membership, role)
    user.membership.refresh_from_db()
    assert user.membership.role != role


def test_a_superusers_account_is_managed_by_superusers_only(world):
    boss = world.user("admin")
    services.create_user(None, username="helper", password=None, organisation=world.org("commerce"), role="officer")
    helper = User.objects.get(username="helper")
    User.objects.filter(pk=helper.pk).update(is_staff=True)
    staff_membership = Membership.objects.select_related("user").get(user=helper)
    with pytest.raises(NotPermitted, match="系统管理员账户"):
        services.change_role(world.user("commerce_lead"), staff_membership, "viewer")
    services.change_role(boss, staff_membership, "viewer")
    assert Membership.objects.get(pk=staff_membership.pk).role == "viewer"


def test_a_role_must_fit_the_unit(world):
    with pytest.raises(ServiceError, match="不适用于生产经营单位") as exc:
        services.change_role(world.user("enterprise"), world.user("enterprise_safety").membership, "leader")
    assert exc.value.field == "role"


def test_a_role_change_on_a_stale_row_is_refused(world):
    membership = world.user("enterprise_safety").membership
    Membership.objects.filter(pk=membership.pk).update(role="staff")  # someone else changed it meanwhile
    with pytest.raises(StaleState):
        services.change_role(world.user("enterprise"), membership, "viewer")
    assert Membership.objects.get(pk=membership.pk).role == "staff"


# ---------------------------------------------------------------- set_inspector

def test_the_inspector_flag_follows_the_same_rule(leads):
    world = leads
    officer = world.user("commerce").membership
    with pytest.raises(NotPermitted):
        services.set_inspector(world.user("housing_lead"), officer, is_inspector=False)
    with pytest.raises(NotPermitted):
        services.set_inspector(world.user("emergency_lead"), officer, is_inspector=False)
    lead = world.user("commerce_lead")
    with pytest.raises(ServiceError, match="不能设置自己的执法检查人员身份"):
        services.set_inspector(lead, lead.membership, is_inspector=False)
    services.set_inspector(lead, officer, is_inspector=False)
    assert _events("user.inspector_set", officer).get().to_state == "False"


def test_accounts_are_never_deleted_by_a_service():
    assert not [name for name in dir(services) if "delete" in name.lower()]
