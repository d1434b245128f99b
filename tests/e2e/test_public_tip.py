"""Browser: a citizen files an anonymous tip with a photo without logging in, gets a tracking
code; staff verify it (a ledger hazard is registered) and pay a reward; the tracking page shows
the result and the reward."""

import datetime

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _png(path):
    from PIL import Image

    Image.new("RGB", (32, 32), (200, 30, 30)).save(path, "PNG")
    return path


def test_anonymous_tip_with_photo_to_reward(page, live_server, tworld, settings, tmp_path):
    from hazards.models import Hazard
    from tips import services
    from tips.models import RewardPolicy, Tip

    settings.TIPS_CAPTCHA_TEST_ANSWER = "13"
    ent = tworld.ent_commerce
    township = ent.region

    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=群众举报隐患（无需登录）")
    page.wait_for_selector("[data-testid=tip-title]")
    assert "/accounts/login/" not in page.url
    for sel, code in (("#sel-province", "12"), ("#sel-city", "1201"), ("#sel-county", "120105"),
                      ("#sel-township", township.code)):
        page.wait_for_selector(f"{sel} option[value='{code}']", state="attached")
        page.select_option(sel, code)
    page.wait_for_selector(f"#id_enterprise option[value='{ent.pk}']", state="attached")
    page.select_option("#id_enterprise", str(ent.pk))
    page.select_option("#id_sector", str(ent.sectors.first().pk))
    page.fill("#id_address", "光复道示范路1号")
    page.fill("#id_content", "商场地下室违规住人，电动自行车在室内充电，安全出口上锁。")
    page.set_input_files("#id_files", _png(tmp_path / "photo.png"))
    page.fill("#id_captcha", "13")
    page.click("[data-testid=tip-submit]")
    page.wait_for_selector("[data-testid=tracking-code]")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert page.inner_text("[data-testid=receipt-unit]") == "河北区商务局"
    page.screenshot(path="/tmp/qingling-tip-receipt.png", full_page=True)

    tip = Tip.objects.get()
    assert tip.anonymous and tip.attachments.count() == 1 and tip.county_code == "120105"
    officer, leader = tworld.user("commerce"), tworld.user("commerce_lead")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    tip = services.verify(officer, tip, result="true", note="现场核查属实", feedback="举报属实，已责令整改。", register={
        "description": "地下室违规住人、电动自行车室内充电", "grade": "general",
        "deadline": timezone.localdate() + datetime.timedelta(days=10)})
    assert Hazard.objects.get(pk=tip.hazard_id).channel == "tip"
    reward = services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="ordinary"))
    services.approve_reward(leader, reward)
    services.pay_reward(officer, reward, paid_on=timezone.localdate(), method="银行转账")

    page.goto(f"{live_server.url}/public/tips/track/")
    page.fill("#id_code", code)
    page.click("[data-testid=track-submit]")
    page.wait_for_selector("[data-testid=track-result]")
    assert page.inner_text("[data-testid=track-status]") == "已决定奖励"
    assert page.inner_text("[data-testid=track-result-value]") == "属实"
    reward_text = page.inner_text("[data-testid=track-reward]")
    assert "已发放" in reward_text and "500.00" in reward_text and "查询码" in reward_text
