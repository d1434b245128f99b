"""举一反三, concealed-accident tips and the figures hook."""

import datetime

import pytest
from django.utils import timezone

from accidents import figures, services
from accidents.models import LessonTarget
from core.services import NotPermitted, ServiceError

pytestmark = pytest.mark.django_db


def _with_measure(world, report):
    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.add_measure(world.user("committee"), a, problem="货架超载堆放", content="限载标识、定期检查",
                         owner_org=world.org("commerce"), owner_name="刘洋",
                         deadline=timezone.localdate() + datetime.timedelta(days=30))
    return a


def test_lesson_check_targets_same_sector_enterprises_of_the_region(world, report):
    a = _with_measure(world, report)
    with pytest.raises(NotPermitted):
        services.launch_lesson_check(world.user("emergency"), a, title="x", deadline=timezone.localdate())
    check = services.launch_lesson_check(world.user("committee"), a, title="仓储货架举一反三",
                                         deadline=timezone.localdate() + datetime.timedelta(days=20))
    # commerce enterprises of 河北区 from core.demo.ENTERPRISES: indexes 0..5 and 3 (also light_industry);
    # the accident's own enterprise (index 0) is excluded; the 河东区 one never appears.
    expected = {world.enterprises[i].pk for i in (1, 2, 3, 4, 5)}
    assert set(check.targets.values_list("enterprise_id", flat=True)) == expected
    assert check.checklist == ["货架超载堆放（措施：限载标识、定期检查）"]


def test_lesson_hazards_carry_the_channel_and_link(world, report):
    a = _with_measure(world, report)
    check = services.launch_lesson_check(world.user("committee"), a, title="t",
                                         deadline=timezone.localdate() + datetime.timedelta(days=20),
                                         enterprises=[world.ent_commerce2])
    target = check.targets.get()
    services.record_lesson_result(world.user("commerce"), target, note="发现货架超载", hazards=[
        {"description": "仓库货架超载堆放", "grade": "general", "deadline": timezone.localdate() + datetime.timedelta(days=7)}])
    target = LessonTarget.objects.get(pk=target.pk)
    h = target.hazards.get()
    assert h.channel == "accident" and h.get_channel_display() == "事故举一反三"
    assert h.enterprise_id == world.ent_commerce2.pk and target.status == "checked"
    check.refresh_from_db()
    assert check.status == "closed"  # its only target is checked
    with pytest.raises(ServiceError):
        services.record_lesson_result(world.user("commerce"), target, note="again")


def test_chosen_set_must_be_in_region(world, report):
    a = _with_measure(world, report)
    with pytest.raises(ServiceError) as exc:
        services.launch_lesson_check(world.user("committee"), a, title="t", deadline=timezone.localdate(),
                                     enterprises=[world.ent_other_region])
    assert exc.value.field == "enterprises"


def test_concealed_accident_from_verified_tip(world, sectors):
    from tips import services as tip_services

    ent = world.ent_commerce
    tip, _ = tip_services.submit_tip(None, region=ent.region, sector=sectors["commerce"], address="示范路1号",
                                     enterprise=ent, content="该单位上周发生事故致一人死亡，未向政府报告。")
    officer = world.user("commerce")
    with pytest.raises(ServiceError):
        services.record_concealed_from_tip(officer, tip, place="仓库", accident_type="object_strike", occurred_at=timezone.now() - datetime.timedelta(days=7),
                                           learned_at=timezone.now() - datetime.timedelta(days=7), deaths=1, summary="s")
    tip_services.accept(officer, tip)
    tip_services.start_verification(officer, tip)
    tip_services.verify(officer, tip, result="true", note="核查属实")
    a = services.record_concealed_from_tip(officer, tip, place="仓库", deaths=1, summary="货物坠落致一人死亡",
                                           accident_type="object_strike",
                                           occurred_at=timezone.now() - datetime.timedelta(days=7),
                                           learned_at=timezone.now() - datetime.timedelta(days=7))
    assert a.concealed and a.source == "tip" and a.late_report and a.flags == ["迟报", "瞒报"]
    assert services.concealed_accident_for_tip(tip) == a


def test_figures_counts_in_scope(world, report):
    report(deaths=1)
    report(deaths=3, injuries=2)
    report(actor=world.user("enterprise_other"), ent=world.ent_construction, sector="construction", deaths=10)
    today = timezone.localdate()
    c = figures.counts(world.user("committee"), today - datetime.timedelta(days=1), today)
    assert c["total"] == 3 and c["deaths"] == 14 and c["by_grade"] == {
        "general": 1, "larger": 1, "major": 1, "especially_major": 0}
    assert figures.counts(world.user("commerce"), today - datetime.timedelta(days=1), today)["total"] == 2
    assert figures.counts(world.user("other_region"), today - datetime.timedelta(days=1), today)["total"] == 0
    assert figures.counts(world.user("committee"), today - datetime.timedelta(days=30),
                          today - datetime.timedelta(days=2))["total"] == 0


def test_bulletin_has_accident_section(client, world, report):
    from core.testing import client_as

    a = report(deaths=3)
    year = timezone.localtime(a.occurred_at).year
    quarter = (timezone.localtime(a.occurred_at).month - 1) // 3 + 1
    c = figures.quarter_counts(world.user("committee"), year, quarter)
    assert c["total"] == 1 and c["by_grade"]["larger"] == 1 and c["start"].month == 3 * (quarter - 1) + 1
    q4 = figures.quarter_counts(world.user("committee"), 2026, 4)
    assert (q4["start"], q4["end"]) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    client_as(client, world, "committee")
    body = client.get(f"/campaigns/bulletin/?year={year}&quarter={quarter}").content.decode()
    assert "共发生事故 1 起，死亡 3 人" in body and "较大事故 1 起" in body


def test_the_bulletin_word_file_has_the_pages_accident_section(client, world, report):
    """The downloaded bulletin (page and API) carries what the page shows: the quarter's accidents in
    the reader's scope, as part 四 — read back from the .docx with python-docx."""
    import io

    import docx

    from core.testing import client_as

    report(deaths=3)
    a = report(actor=world.user("enterprise_other"), ent=world.ent_construction, sector="construction", deaths=10)
    local = timezone.localtime(a.occurred_at)
    year, quarter = local.year, (local.month - 1) // 3 + 1

    def text(resp):
        assert resp.status_code == 200
        return "\n".join(p.text for p in docx.Document(io.BytesIO(resp.content)).paragraphs)

    client_as(client, world, "committee")
    for body in (text(client.get(f"/campaigns/bulletin/?year={year}&quarter={quarter}&download=1")),
                 text(client.get(f"/api/v1/bulletin/document/?year={year}&quarter={quarter}"))):
        assert "四、生产安全事故情况" in body
        assert "共发生事故 2 起，死亡 13 人" in body and "较大事故 1 起" in body and "重大事故 1 起" in body
    client_as(client, world, "commerce")  # a department issues no bulletin: the committee office's (安委办) task
    assert client.get(f"/campaigns/bulletin/?year={year}&quarter={quarter}&download=1").status_code == 404
    assert client.get(f"/api/v1/bulletin/document/?year={year}&quarter={quarter}").status_code == 404
