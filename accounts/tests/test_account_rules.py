"""Who may manage which accounts (accounts/account_rules.py, docs/accounts.md): the pure decision swept
over every combination of facts against an oracle written here, and the scope of each persona
against a literal table written from the rule (not from the code)."""

import itertools

import pytest

from accounts import account_rules as rules
from accounts.account_rules import Action, Facts

# ---------------------------------------------------------------- the pure decision

SELF_ACTIONS = {"role", "inspector", "deactivate", "reset_password", "revealer"}


def oracle(f: Facts, action: str) -> str:
    """The rule in words: system jobs may do anything; a superuser anything but the four things no
    one does to their own account; an administrator the same inside its scope, never to a privileged
    account; everyone else nothing."""
    if f.system:
        return "ok"
    if f.superuser:
        return "self" if (f.own_account and action in SELF_ACTIONS) else "ok"
    if not f.administrator:
        return "not_admin"
    if not f.in_scope:
        return "scope"
    if f.privileged_target:
        return "privileged"
    if f.own_account and action in SELF_ACTIONS:
        return "self"
    return "ok"


CODES = {"": "ok", rules.NOT_AN_ADMINISTRATOR: "not_admin", rules.OUT_OF_SCOPE: "scope", rules.PRIVILEGED: "privileged",
         **{text: "self" for text in rules.SELF.values()}}


@pytest.mark.parametrize("action", Action.ALL)
def test_the_decision_matches_the_oracle_for_every_combination_of_facts(action):
    for values in itertools.product((False, True), repeat=6):
        facts = Facts(*values)
        assert CODES[rules.refusal(facts, action)] == oracle(facts, action), (facts, action)


def test_every_refusal_is_chinese_and_names_no_code():
    import re

    for text in [rules.NOT_AN_ADMINISTRATOR, rules.OUT_OF_SCOPE, rules.PRIVILEGED, *rules.SELF.values()]:
        assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z_]{3,}", text), text


def test_the_django_admin_privileges_are_granted_by_superusers_only_never_to_themselves():
    """职员, 超级用户, groups and permissions make a privileged account, which superusers alone manage;
    no one raises their own rights or locks themselves out. Written from the rule, as literals."""
    for values in itertools.product((False, True), repeat=6):
        f = Facts(*values)
        expected = ("" if f.system else rules.PRIVILEGES_NOT_SUPERUSER if not f.superuser
                    else rules.PRIVILEGES_SELF if f.own_account else "")
        assert rules.privilege_refusal(f) == expected, f
    for text in (rules.PRIVILEGES_NOT_SUPERUSER, rules.PRIVILEGES_SELF):
        assert "系统管理员" in text


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        rules.refusal(Facts(), "delete")


def test_there_is_no_delete_action():
    assert "delete" not in Action.ALL


# ---------------------------------------------------------------- scope per persona

# actor persona → the accounts (target personas) it manages, from the rule in docs/accounts.md:
# own unit; a committee office also the government units of its region and below; a government
# unit also the enterprises it sees (region × sectors). Targets: 鑫隆 principal and safety manager
# (enterprise, 商贸, 光复道街道), 津建 principal (construction), the 商务局 officer, the 光复道 township
# officer, the 区安委办 officer, the 河东 应急局 officer.
TARGETS = ["enterprise", "enterprise_safety", "enterprise_other", "commerce", "township", "committee", "other_region"]
MANAGES = {
    "admin": set(TARGETS),
    "committee_lead": {"enterprise", "enterprise_safety", "enterprise_other", "commerce", "township", "committee"},
    "province_lead": set(TARGETS),
    "emergency_lead": {"enterprise", "enterprise_safety", "enterprise_other"},
    "commerce_lead": {"enterprise", "enterprise_safety", "commerce"},
    "housing_lead": {"enterprise_other"},
    "township_lead": {"enterprise", "enterprise_safety", "township"},
    "township_other_lead": set(),
    "other_region_lead": {"other_region"},
    "other_committee_lead": {"other_region"},
    "enterprise": {"enterprise", "enterprise_safety"},
    "enterprise_other": {"enterprise_other"},
    "agency_lead": set(),  # its own agency only (none of these targets)
    # not administrators: officers, a safety manager, an expert, someone without a unit
    "committee": set(), "commerce": set(), "emergency": set(), "township": set(), "enterprise_safety": set(),
    "agency": set(), "nobody": set(),
}
ADMINISTRATORS = {"admin", "committee_lead", "province_lead", "emergency_lead", "commerce_lead", "housing_lead",
                  "township_lead", "township_other_lead", "other_region_lead", "other_committee_lead", "enterprise",
                  "enterprise_other", "agency_lead"}


@pytest.mark.parametrize("actor", sorted(MANAGES))
def test_each_persona_manages_exactly_the_accounts_the_rule_gives_it(leads, actor):
    world = leads
    user = world.user(actor)
    got = {t for t in TARGETS if rules.manageable_memberships(user).filter(user=world.user(t)).exists()}
    assert got == MANAGES[actor]
    for target in TARGETS:
        membership = world.user(target).membership
        refused = rules.account_refusal(user, membership, Action.EDIT)
        assert (refused == "") is (target in MANAGES[actor]), (actor, target, refused)
    assert rules.may_manage_accounts(user) is (actor in ADMINISTRATORS)


def test_an_agency_leader_manages_its_own_agency_only(leads):
    world = leads
    lead, expert = world.user("agency_lead"), world.user("agency")
    assert rules.may_manage_accounts(lead)
    assert set(rules.manageable_organisations(lead)) == {world.org("agency")}
    assert rules.account_refusal(lead, expert.membership, Action.ROLE) == ""


def test_an_inactive_administrator_or_one_of_an_inactive_unit_manages_nothing(leads):
    from accounts.models import Organisation

    world = leads
    lead = world.user("commerce_lead")
    lead.is_active = False
    assert not rules.may_manage_accounts(lead) and not rules.manageable_organisations(lead).exists()
    lead.is_active = True
    Organisation.objects.filter(pk=world.org("commerce").pk).update(is_active=False)
    lead.membership.organisation.refresh_from_db()
    assert not rules.may_manage_accounts(lead)


def test_an_enterprise_without_a_login_unit_is_managed_by_the_government_units_that_see_it(leads):
    world = leads
    supermarket = world.ent_commerce2  # 海河之星超市: 商贸, 望海楼街道, no login unit in the demo
    assert supermarket.organisation_id is None
    for actor, expected in [("committee_lead", True), ("commerce_lead", True), ("township_other_lead", True),
                            ("township_lead", False), ("housing_lead", False), ("other_region_lead", False),
                            ("enterprise", False), ("commerce", False), ("admin", True)]:
        assert rules.manages_enterprise(world.user(actor), supermarket) is expected, actor


def test_a_role_that_does_not_fit_the_unit_is_named_in_words(world):
    refusal = rules.role_refusal(world.org("commerce"), "principal")
    assert refusal == "“主要负责人”不适用于行业部门，请选择该类单位的角色。"
    assert rules.role_refusal(world.user("enterprise").membership.organisation, "leader").startswith("“负责人（审批）”")
    assert rules.role_refusal(world.org("commerce"), "root") == "请选择有效的角色。"
    assert rules.role_refusal(world.org("commerce"), "admin") == ""
