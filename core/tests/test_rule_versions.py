"""Rule tables versioned with an effective date (issue 17, item 2): a revision effective from D
leaves every figure or deadline for D-1 on the old value and moves those for D to the new one.
Values: 安全生产法 art. 101 (逾期未改正: 单位 十万元以上二十万元以下), seed 002 item 8 (专题研究 每季度),
RULES.md §1 (feedback to the reporter within 10 days). Dates by hand."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission

from core import ruletables
from core.models import Event, RuleVersion
from core.services import ServiceError
from enforcement.models import PenaltyArticle
from enforcement.services import check_amount
from obligations.models import ObligationRule
from obligations.services import rule
from tips.handling import feedback_due
from tips.models import DeadlineRule

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2025, 6, 2)
D = datetime.date(2025, 6, 10)
BEFORE = D - datetime.timedelta(days=1)


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ), tick=False)


def _revise(world, key, obj, data, effective_from=D, persona="committee"):
    return ruletables.revise_row(world.user(persona), ruletables.table(key), obj, data, effective_from=effective_from,
                                 note="测试修订")


def test_existing_rows_are_version_one_from_their_default_date():
    """Data migration core/0006: every existing row is version 1 effective from its table's date
    (安全生产法 2021 in force 2021-09-01 for the obligation rules)."""
    row = ObligationRule.objects.get(code="principal_study_months")
    v = RuleVersion.objects.get(table="obligations", row_id=row.pk)
    assert (v.version, v.effective_from, v.values["value"]) == (1, datetime.date(2021, 9, 1), "3")
    assert RuleVersion.objects.filter(table="penalty-articles").count() == PenaltyArticle.objects.count()


def test_obligation_rule_revised_from_d_old_value_the_day_before(world):
    """Seed 002 item 8 (专题研究 每季度 = 3 months); a local revision to 2 from D."""
    row = ObligationRule.objects.get(code="principal_study_months")
    with at(TODAY):
        _revise(world, "obligations", row, {"value": 2})
        assert ObligationRule.objects.get(pk=row.pk).value == 3  # not in force yet: the live row keeps today's value
    assert rule("principal_study_months", BEFORE) == 3
    assert rule("principal_study_months", D) == 2
    assert rule("principal_study_months", D + datetime.timedelta(days=1)) == 2
    ev = Event.objects.get(verb="rule.revised")
    assert ev.data["changes"]["value"] == ["3", "2"] and ev.data["effective_from"] == "2025-06-10" and ev.data["version"] == 2


def test_penalty_range_is_the_one_in_force_on_the_decision_date(world):
    """安全生产法 art. 101(五) 逾期未改正: 单位 十万元以上二十万元以下; a (hypothetical) revision of the
    upper bound to 15万 from D: 18万 decided on D-1 stands, on D it is refused."""
    art = PenaltyArticle.objects.get(article=101, item="(五)逾期")
    with at(TODAY):
        _revise(world, "penalty-articles", art, {"entity_max": Decimal(150000)})
    check_amount(art, "entity", Decimal(180000), BEFORE)
    with pytest.raises(ServiceError) as e:
        check_amount(art, "entity", Decimal(180000), D)
    assert e.value.field == "amount" and "150,000元" in e.value.message


def test_deadline_rule_uses_the_version_in_force_on_the_date_of_the_fact(world):
    """RULES.md §1: feedback within 10 days of closing; revised to 15 from D. Closed on D-1
    (06-09) → due 06-19; closed on D (06-10) → due 06-25."""
    row = DeadlineRule.objects.get(stage="feedback")
    with at(TODAY):
        _revise(world, "deadlines", row, {"working_days": 15})
    assert feedback_due(BEFORE) == datetime.date(2025, 6, 19)
    assert feedback_due(D) == datetime.date(2025, 6, 25)


def test_effective_date_before_today_only_for_a_designated_admin(world):
    row = ObligationRule.objects.get(code="principal_check_months")
    with at(TODAY):
        with pytest.raises(ServiceError) as e:
            _revise(world, "obligations", row, {"value": 2}, effective_from=TODAY - datetime.timedelta(days=1))
        assert e.value.field == "effective_from" and "不能早于今天" in e.value.message
        admin = world.user("committee")
        admin.user_permissions.add(Permission.objects.get(codename="backdate_ruleversion"))
        admin = type(admin).objects.get(pk=admin.pk)  # fresh permission cache
        ruletables.revise_row(admin, ruletables.table("obligations"), row, {"value": 2},
                              effective_from=datetime.date(2025, 1, 1))
        assert ObligationRule.objects.get(pk=row.pk).value == 2  # in force already: applied at once
    assert rule("principal_check_months", datetime.date(2024, 12, 31)) == 3
    assert rule("principal_check_months", datetime.date(2025, 1, 1)) == 2


def test_future_revision_takes_effect_by_the_daily_pass_once(world):
    row = ObligationRule.objects.get(code="principal_study_months")
    with at(TODAY):
        _revise(world, "obligations", row, {"value": 2})
    assert ruletables.apply_due(BEFORE) == 0
    assert ObligationRule.objects.get(pk=row.pk).value == 3
    assert ruletables.apply_due(D) == 1
    assert ObligationRule.objects.get(pk=row.pk).value == 2
    assert ruletables.apply_due(D) == 0  # second pass: nothing
    assert Event.objects.filter(verb="rule.applied").count() == 1


def test_edit_page_creates_a_version_and_shows_the_history(client, world):
    row = ObligationRule.objects.get(code="principal_study_months")
    client.force_login(world.user("committee"))
    with at(TODAY):
        r = client.post(f"/rules/obligations/{row.pk}/", {"value": "2", "tag": "R", "note": "本地从严",
                                                          "effective_from": "2025-06-10", "revision_note": "区安委办文件"})
        assert r.status_code == 302
        page = client.get(f"/rules/obligations/{row.pk}/").content.decode()
        assert "第1版" in page and "第2版" in page and "2025-06-10" in page and "待施行" in page
        bad = client.post(f"/rules/obligations/{row.pk}/", {"value": "4", "tag": "R", "effective_from": "2025-06-01"})
        assert bad.status_code == 400 and "施行日期不能早于今天" in bad.content.decode()
        # the refusal names the revision's date: it stands under that field, not on the row's form
        assert [e[:8] for e in bad.context["revision"].errors["effective_from"]] == ["施行日期不能早于"]
        assert not bad.context["form"].errors
        assert client.post(f"/rules/obligations/{row.pk}/", {"value": "4", "tag": "R"}).status_code == 400


def test_unverified_badge_on_the_rule_table_pages(client, world):
    """docs/rules.md R rows carry the badge 未核实: the 复查 windows (应急〔2023〕106号 says a review
    exists, not its days)."""
    client.force_login(world.user("committee"))
    page = client.get("/rules/deadlines/").content.decode()
    review = DeadlineRule.objects.filter(stage="review").first()
    if review is not None:
        assert 'data-testid="unverified"' in page
    feedback = DeadlineRule.objects.get(stage="feedback")
    assert not ruletables.table("deadlines").unverified(feedback)


def test_board_colour_for_a_past_week_uses_the_rules_in_force_that_week(world):
    """campaigns/board.py rules (RULES.md §4: no official criteria, our default red after 30 days
    overdue); a revision to 5 days from D: a region 10 days overdue is 橙 for D-1 and 红 from D."""
    from campaigns.board import active_rules, colour
    from campaigns.models import BoardRuleSet

    row = BoardRuleSet.objects.create(name="区规则", rules={"red_overdue_days": 30})
    with at(TODAY):
        _revise(world, "board-rules", row, {"rules": {"red_overdue_days": 5}})
    fig = {"open": 1, "overdue": 1, "max_overdue_days": 10, "rate": "50"}
    assert active_rules(BEFORE)["red_overdue_days"] == 30 and colour(fig, active_rules(BEFORE)) == "orange"
    assert active_rules(D)["red_overdue_days"] == 5 and colour(fig, active_rules(D)) == "red"


def test_band_table_published_today_is_the_default_from_today_only(world):
    """A writer outside the pages (risks.publish_band_table) records its change as a version from
    today: an assessment dated yesterday still uses the table that was the default then."""
    from risks import services as rs
    from risks.models import BandTable

    with at(TODAY):
        old = rs.default_table("lec")
        new = rs.publish_band_table(None, code=old.code, source="测试：提高重大门槛",
                                    bands=[("major", 320), ("large", 160), ("general", 70), ("low", 0)])
        assert rs.default_table("lec") == new
    assert rs.default_table("lec", TODAY - datetime.timedelta(days=1)) == old
    assert rs.default_table("lec", TODAY) == new
    assert not BandTable.objects.get(pk=old.pk).is_default


@pytest.mark.parametrize("key", sorted(ruletables.TABLES))
def test_every_rule_table_page_and_its_revision_form_open(client, world, key):
    """Every registered table has its rows page and, per row, the revision form with its history."""
    from campaigns.models import BoardRuleSet
    from tips.models import Holiday

    BoardRuleSet.objects.get_or_create(name="默认规则")
    Holiday.objects.get_or_create(date=datetime.date(2025, 10, 9), defaults={"name": "地方调休"})
    from enforcement.models import LeniencyPolicy

    LeniencyPolicy.objects.get_or_create(region=world.district, defaults={"enabled": True})
    client.force_login(world.user("committee"))
    assert client.get(f"/rules/{key}/").status_code == 200
    row = ruletables.table(key).model_class.objects.order_by("pk").first()
    assert row is not None
    page = client.get(f"/rules/{key}/{row.pk}/")
    assert page.status_code == 200 and 'data-testid="rule-history"' in page.content.decode()
    assert 'name="effective_from"' in page.content.decode()


def test_revising_after_a_version_written_before_a_field_existed_reads_that_field_from_the_row(world):
    """A version recorded before a field was added to its table (e.g. a future-dated penalty
    version written before ``prior_order`` existed) lacks the field: revising on top of it takes
    the field as the row has it (as ``rows_in_force`` reads such a version) — not a KeyError."""
    row = PenaltyArticle.objects.filter(entity_max__isnull=False).order_by("pk").first()
    later = D + datetime.timedelta(days=30)
    with at(TODAY):
        v2 = _revise(world, "penalty-articles", row, {"entity_max": row.entity_max + 1}, effective_from=D)
        del v2.values["prior_order"]  # as written before the field was added
        RuleVersion.objects.filter(pk=v2.pk).update(values=v2.values)
        v3 = _revise(world, "penalty-articles", row, {"entity_max": row.entity_max + 2}, effective_from=later)
    assert v3.values["prior_order"] == ruletables._dump(row, ["prior_order"])["prior_order"]
    changes = Event.objects.filter(verb="rule.revised").latest("id").data["changes"]
    assert set(changes) == {"entity_max"}
