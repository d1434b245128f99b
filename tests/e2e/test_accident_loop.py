"""Browser: an enterprise reports an accident, the district investigates, the exposed problem is
closed, the evaluation is published, and the committee office runs a 举一反三 check from it."""

import datetime

import pytest
from django.utils import timezone

from accidents.models import Accident
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _form(page, name):
    return page.locator(f"[data-testid=form-{name}]")


def test_accident_from_report_to_published_evaluation_and_lesson_check(page, live_server, tworld):
    occurred = timezone.localtime() - datetime.timedelta(hours=2)

    # 1. the enterprise reports (within the hour)
    log_in(page, live_server.url, "qy_xinlong", next_url="/accidents/new/", wait_for="[data-testid=report-form]", fresh=True)
    page.select_option("#id_sector", label="商贸服务和仓储物流")
    page.select_option("#id_accident_type", label="物体打击")
    page.fill("#id_place", "仓库二层")
    page.fill("#id_occurred_at", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_learned_at", (occurred + datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_deaths", "1")
    page.fill("#id_injuries", "2")
    page.fill("#id_loss", "80")
    page.fill("#id_summary", "货架倒塌砸伤作业人员。")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=accident-grade]")
    assert page.inner_text("[data-testid=accident-grade]") == "一般事故"
    accident = Accident.objects.get()
    url = f"/accidents/{accident.pk}/"

    # 2. the district committee office investigates
    log_in(page, live_server.url, "hb_anweiban", next_url=url, wait_for=None, fresh=True)
    f = _form(page, "start_investigation")
    f.locator("[name=leader_name]").fill("区应急管理局副局长 孙伟")
    f.locator("[name=members]").fill("区应急管理局、区商务局、公安分局")
    page.click("[data-testid=act-start_investigation]")
    page.wait_for_selector("[data-testid=investigation]")
    assert "河北区人民政府" in page.inner_text("[data-testid=investigation]")
    f = _form(page, "measure")
    f.locator("[name=problem]").fill("货架超载、未定期检查")
    f.locator("[name=content]").fill("全面排查货架并设置限载标识")
    f.locator("[name=owner_org]").select_option(label="河北区商务局")
    f.locator("[name=owner_name]").fill("刘洋")
    f.locator("[name=deadline]").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.click("[data-testid=act-measure]")
    f = _form(page, "submit_report")
    f.locator("[name=cause]").fill("货架超载堆放")
    f.locator("[name=technical_chapter]").fill("货架立柱强度不足的技术分析")
    f.locator("[name=management_chapter]").fill("企业安全管理制度不落实")
    page.click("[data-testid=act-submit_report]")
    assert page.inner_text("[data-testid=accident-status]") == "调查报告已提交"

    # 3. the committee office's leader approves (批复)
    log_in(page, live_server.url, "hb_anweiban_lead", next_url=url, wait_for=None, fresh=True)
    f = _form(page, "approve")
    f.locator("[name=doc_no]").fill("河北政批〔2026〕1号")
    f.locator("[name=text]").fill("同意调查报告")
    page.click("[data-testid=act-approve]")
    assert page.inner_text("[data-testid=accident-status]") == "已批复结案"

    # 4. the owner closes the exposed problem, the committee office accepts it
    log_in(page, live_server.url, "hb_shangwu", next_url=url, wait_for=None, fresh=True)
    page.locator("[data-testid=measures] [name=note]").fill("已完成全区货架排查")
    page.click("[data-testid=measure-submit]")
    assert page.inner_text("[data-testid=measure-status]") == "待验收"
    log_in(page, live_server.url, "hb_anweiban", next_url=url, wait_for=None, fresh=True)
    page.click("[data-testid=measure-accept]")
    assert page.inner_text("[data-testid=measure-status]") == "已验收"

    # 5. the evaluation is published
    f = _form(page, "publish_evaluation")
    f.locator("[name=rectification]").fill("暴露问题已全部整改")
    f.locator("[name=prevention]").fill("防范措施已落实")
    f.locator("[name=handling]").fill("责任人已依法处理")
    f.locator("[name=conclusion]").fill("整改到位")
    page.click("[data-testid=act-publish_evaluation]")
    assert page.inner_text("[data-testid=accident-status]") == "评估已公开"
    page.goto(f"{live_server.url}/public/accidents/{accident.pk}/")
    assert "整改到位" in page.content()

    # 6. 举一反三 from the accident
    page.goto(f"{live_server.url}{url}")
    f = _form(page, "lesson_check")
    f.locator("[name=title]").fill("仓储货架举一反三检查")
    f.locator("[name=deadline]").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.click("[data-testid=act-lesson_check]")
    page.wait_for_selector("[data-testid=lesson-targets]")
    assert "货架超载、未定期检查" in page.inner_text("[data-testid=checklist]")
    assert "天津海河之星大型超市有限公司" in page.inner_text("[data-testid=lesson-targets]")
    first = page.locator("[data-testid=lesson-result-1]")
    first.locator("[name=note]").fill("发现货架超载")
    first.locator("[name=hazard_description]").fill("仓库货架超载堆放")
    first.locator("[name=hazard_deadline]").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    first.locator("[data-testid=lesson-record]").click()
    page.wait_for_selector("[data-testid=lesson-targets] a[href^='/hazards/']")
    page.screenshot(path="/tmp/qingling-lesson.png", full_page=True)
