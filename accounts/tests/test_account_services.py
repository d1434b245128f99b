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


def test_opening_the_first_account_of_an_enterprise_creates_its_login_unit(leads):
    world = leads
    supermarket = world.ent_commerce2
    user = services.open_enterprise_account(world.user("commerce_lead"), supermarket, username="chaoshi_fzr",
                                            password=PASSWORD, role=Membership.Role.PRINCIPAL, full_name="超市负责人")
    supermarket.refresh_from_db()
    assert user.membership.organisation == supermarket.organisation
    assert Event.objects.filter(verb="enterprise.organisation_created", object_id=supermarket.pk).exists()
    assert _events("user.created", user.membership).exists()
    for actor in ("housing_lead", "other_region_lead", "township_lead", "commerce", "enterprise"):
        with pytest.raises(NotPermitted):
            services.open_enterprise_account(world.user(actor), world.ent_commerce2, username=f"x_{actor}",
                                             password=PASSWORD, role=Membership.Role.STAFF)
    construction = world.enterprises[7]  # 城市更新建设: no login unit, not the 商务局's sector
    with pytest.raises(NotPermitted):
        services.open_enterprise_account(world.user("commerce_lead"), construction, username="x_c",
                                         password=PASSWORD, role=Membership.Role.STAFF)
    construction.refresh_from_db()
    assert construction.organisation_id is None  # refused before anything was created


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
    with pytest.raises(NotPermitted, match="系统管理员账户"):
        services.deactivate_user(world.user("commerce_lead"), staff_membership, reason="离岗")
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


# ---------------------------------------------------------------- details

def test_details_are_changed_with_the_old_and_new_values_in_the_event(world):
    membership = world.user("enterprise_safety").membership
    services.update_account(world.user("enterprise"), membership, full_name="鑫隆 安全员 张三", phone="13900000000",
                            title="安全科长")
    membership.refresh_from_db()
    assert (membership.user.first_name, membership.phone, membership.title) == ("鑫隆 安全员 张三", "13900000000", "安全科长")
    changes = _events("user.updated", membership).get().data["changes"]
    assert changes["phone"] == ["", "13900000000"] and changes["full_name"][1] == "鑫隆 安全员 张三"
    # one's own details: allowed
    lead = world.user("commerce_lead")
    services.update_account(lead, lead.membership, phone="13911112222")
    with pytest.raises(NotPermitted):
        services.update_account(world.user("enterprise_other"), membership, phone="1")
    with pytest.raises(ServiceError) as exc:
        services.update_account(world.user("enterprise"), membership, email="not-an-address")
    assert exc.value.field == "email"


def test_a_refused_part_of_an_edit_leaves_nothing_changed(world):
    lead = world.user("commerce_lead")
    with pytest.raises(ServiceError):
        services.edit_account(lead, lead.membership, full_name="改名", role="officer")
    lead.refresh_from_db()
    assert lead.first_name != "改名" and not _events("user.updated", lead.membership).exists()


# ---------------------------------------------------------------- deactivate / reactivate

def test_deactivating_stops_the_login_keeps_the_account_and_writes_an_event(client, world):
    from core.api_auth import issue
    from core.demo import DEMO_PASSWORD

    target = world.user("enterprise_safety")
    token = issue(target)["token"]
    services.deactivate_user(world.user("enterprise"), target.membership, reason="已离职")
    target.refresh_from_db()
    assert not target.is_active and User.objects.filter(pk=target.pk).exists()
    event = _events("user.deactivated", target.membership).get()
    assert (event.from_state, event.to_state, event.note) == ("active", "inactive", "已离职")
    assert SecurityLog.objects.filter(kind="account_deactivated", detail__target="qy_xinlong_aq").exists()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    response = client.post("/accounts/login/", {"username": "qy_xinlong_aq", "password": DEMO_PASSWORD})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    with pytest.raises(ServiceError, match="该账户已停用") as exc:
        services.deactivate_user(world.user("enterprise"), target.membership, reason="再次")
    assert exc.value.code == "conflict"


def test_a_deactivated_users_session_ends(client, world):
    target = world.user("enterprise_safety")
    client.force_login(target)
    assert client.get("/").status_code == 200
    services.deactivate_user(world.user("commerce_lead"), target.membership, reason="调离")
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_one_deactivates_themselves_and_a_reason_is_required(world):
    lead = world.user("committee_lead")
    with pytest.raises(ServiceError, match="不能停用自己的账户"):
        services.deactivate_user(lead, lead.membership, reason="测试")
    with pytest.raises(ServiceError) as exc:
        services.deactivate_user(lead, world.user("committee").membership, reason="  ")
    assert exc.value.field == "reason"
    assert User.objects.get(pk=lead.pk).is_active and User.objects.get(pk=world.user("committee").pk).is_active


@pytest.mark.parametrize("actor", ["committee", "housing_lead", "other_region_lead", "enterprise_other", "agency"])
def test_deactivating_outside_the_scope_is_refused(leads, actor):
    world = leads
    target = world.user("enterprise_safety")
    with pytest.raises(NotPermitted):
        services.deactivate_user(world.user(actor), target.membership, reason="离职")
    assert User.objects.get(pk=target.pk).is_active


def test_reactivating_writes_an_event_and_needs_an_active_unit(world):
    target = world.user("enterprise_safety")
    principal = world.user("enterprise")
    services.deactivate_user(principal, target.membership, reason="离职")
    with pytest.raises(NotPermitted):
        services.reactivate_user(world.user("enterprise_other"), target.membership, reason="返岗")
    services.reactivate_user(principal, target.membership, reason="返岗")
    assert User.objects.get(pk=target.pk).is_active
    event = _events("user.reactivated", target.membership).get()
    assert (event.from_state, event.to_state, event.note) == ("inactive", "active", "返岗")
    services.deactivate_user(principal, target.membership, reason="再次离职")
    Organisation.objects.filter(pk=target.membership.organisation_id).update(is_active=False)
    target.membership.organisation.refresh_from_db()
    with pytest.raises(ServiceError, match="所在单位已停用"):
        services.reactivate_user(world.user("admin"), target.membership, reason="返岗")


# ---------------------------------------------------------------- reset_password

def test_resetting_a_password_sets_it_ends_sessions_and_tokens_and_writes_no_secret(client, world):
    from core.api_auth import issue

    target = world.user("enterprise_safety")
    token = issue(target)["token"]
    client.force_login(target)
    services.reset_password(world.user("enterprise"), target.membership, password=PASSWORD)
    assert User.objects.get(pk=target.pk).check_password(PASSWORD)
    event = _events("user.password_reset", target.membership).get()
    assert PASSWORD not in str(event.data) and PASSWORD not in event.note
    log = SecurityLog.objects.get(kind="password_reset")
    assert log.detail["target"] == "qy_xinlong_aq" and PASSWORD not in str(log.detail)
    assert client.get("/").status_code == 302  # the old session is over
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_password_reset_refusals(leads):
    world = leads
    target = world.user("enterprise_safety").membership
    lead = world.user("commerce_lead")
    with pytest.raises(ServiceError, match="修改密码"):
        services.reset_password(lead, lead.membership, password=PASSWORD)
    with pytest.raises(ServiceError) as exc:
        services.reset_password(lead, target, password="password")
    assert exc.value.field == "password"
    for actor in ("commerce", "housing_lead", "other_region_lead", "enterprise_other"):
        with pytest.raises(NotPermitted):
            services.reset_password(world.user(actor), target, password=PASSWORD)
    assert not _events("user.password_reset", target).exists()


# ---------------------------------------------------------------- every change has its event

def test_every_account_change_writes_exactly_one_event_in_its_transaction(world):
    principal = world.user("enterprise")
    org = principal.membership.organisation
    steps = [
        ("user.created", lambda: _new(principal, org, username="evt_person").membership),
        ("user.updated", lambda: services.update_account(principal, _m("evt_person"), title="仓管员")),
        ("user.role_changed", lambda: services.change_role(principal, _m("evt_person"), "viewer")),
        ("user.deactivated", lambda: services.deactivate_user(principal, _m("evt_person"), reason="离职")),
        ("user.reactivated", lambda: services.reactivate_user(principal, _m("evt_person"), reason="返岗")),
        ("user.password_reset", lambda: services.reset_password(principal, _m("evt_person"), password=PASSWORD)),
    ]
    for verb, step in steps:
        before = Event.objects.count()
        membership = step()
        assert Event.objects.count() == before + 1, verb
        assert _events(verb, membership).filter(actor=principal).count() == 1, verb
    gov = world.user("commerce").membership
    before = Event.objects.count()
    services.set_inspector(world.user("commerce_lead"), gov, is_inspector=False)
    assert Event.objects.count() == before + 1 and _events("user.inspector_set", gov).exists()


def _m(username):
    return Membership.objects.select_related("user", "organisation").get(user__username=username)


def test_accounts_are_never_deleted_by_a_service():
    assert not [name for name in dir(services) if "delete" in name.lower()]
