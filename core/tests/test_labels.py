"""Every code the services can record is shown in Chinese (the label registry never leaks a code)."""

import ast
import pathlib
import re

from core import labels

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["accounts", "campaigns", "core", "enforcement", "enterprises", "hazards", "inspections", "obligations",
        "risks", "standards", "supervision", "tips", "documents", "accidents", "assessment"]


def recorded_verbs():
    """String literals passed as the verb of ``record(actor, verb, …)`` (or its alias ``record_event``) / ``verb=`` anywhere in the apps."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                        "record", "record_event", "_create_decision", "_listing_transition"):
                    candidates = list(node.args[1:2]) + [k.value for k in node.keywords if k.arg == "verb"]
                    candidates += [a for a in node.args if isinstance(a, ast.Constant)]
                    for c in candidates:
                        if isinstance(c, ast.Constant) and isinstance(c.value, str) and re.fullmatch(r"[a-z_]+\.[a-z_]+", c.value):
                            found.add(c.value)
    return found


def test_every_literal_verb_recorded_by_a_service_has_a_chinese_label():
    verbs = recorded_verbs()
    assert len(verbs) > 40  # the scan works (the code base records dozens of literal verbs)
    missing = sorted(v for v in verbs if v not in labels.VERBS)
    assert not missing, missing


def test_every_verb_recorded_while_the_demo_district_is_built_has_a_label(world):
    from core.models import Event

    verbs = set(Event.objects.values_list("verb", flat=True))
    assert verbs
    assert not sorted(v for v in verbs if v not in labels.VERBS)


def test_an_unknown_verb_or_state_never_shows_the_code():
    assert labels.verb_label("hazard.some_future_action") == "隐患操作"
    assert "some_future_action" not in labels.verb_label("hazard.some_future_action")
    assert labels.state_label("teleported") == "其他状态"


def test_one_code_reads_differently_in_different_workflows():
    assert labels.state_label("closed", "hazard.accept") == "已销号"
    assert labels.state_label("closed", "tip.close") == "已办结"
    assert labels.state_label("closed", "case.close") == "结案"


def test_every_label_is_chinese():
    for text in list(labels.VERBS.values()) + list(labels.STATES.values()) + list(labels.CONFIRMATIONS.values()):
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not re.search(r"[A-Za-z]{3,}", text), text


def test_every_channel_reads_as_the_hazard_model_names_it(client, world):
    """PRODUCT.md's channels of discovery (… department inspection, supervision check 督导 …) as
    the model's choices name them — the statistics page's 渠道 rows included."""
    from accounts.models import Sector
    from core.testing import client_as
    from hazards import services
    from hazards.models import Hazard

    assert {code: labels.key_label(code) for code in Hazard.Channel.values} == dict(Hazard.Channel.choices)
    services.register_hazard(world.user("committee"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                             description="督导检查发现", grade="general", channel="supervision")
    page = client_as(client, world, "committee").get("/campaigns/stats/").content.decode()
    assert "督导检查" in page and "挂牌督办</td>" not in page


def test_every_role_reads_in_an_account_history_as_the_membership_model_names_it():
    """An account's timeline shows a role change as "安全管理人员 → 从业人员" (accounts.Membership.Role's
    labels, word for word), the state of the account as 启用 / 停用."""
    from accounts.models import Membership

    assert {code: labels.state_label(code, "user.role_changed") for code in Membership.Role.values} == \
        dict(Membership.Role.choices)
    assert (labels.state_label("inactive", "user.deactivated"), labels.state_label("active", "user.reactivated")) == \
        ("停用", "启用")
