"""Public pages, staff pages and the API: permission matrix, identity never leaks, captcha and
rate limiting through HTTP."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.testing import check_matrix
from tips.models import Tip

pytestmark = pytest.mark.django_db

STAFF_PAGE = {"anon": "login", "commerce": 200, "committee": 200, "province": 200, "emergency": 404, "housing": 404,
              "township": 404, "other_region": 404, "enterprise": 403, "enterprise_other": 403, "agency": 403,
              "nobody": 403}


def png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(buf, "PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


@pytest.fixture
def named_tip(world, submit):
    tip, code = submit(anonymous=False, name="王小明", phone="13912345678")
    return tip


@pytest.fixture
def construction_tip(world, submit):
    return submit(ent=world.ent_construction, sector="construction", anonymous=False, name="赵六", phone="13900001111")[0]


def form_data(world, **kw):
    ent = world.ent_commerce
    data = {"township": ent.region.code, "address": "示范路1号", "enterprise": ent.pk, "sector": ent.sectors.first().pk,
            "content": "仓库堆放货物堵塞疏散通道，安全出口上锁。", "anonymous": "on", "captcha": "7"}
    data.update(kw)
    return data


def test_public_pages_open_without_login(client, world):
    for url in ("/public/tips/new/", "/public/tips/track/", "/public/tips/regions/", "/public/tips/captcha.png"):
        assert client.get(url).status_code == 200, url
    codes = [r["code"] for r in client.get("/public/tips/regions/?parent=120105").json()["results"]]
    assert world.ent_commerce.region.code in codes
    assert client.get("/public/tips/regions/?parent=abc").status_code == 400


def test_enterprise_search_returns_only_ids_and_names(client, world):
    r = client.get(f"/public/tips/enterprises/?township={world.ent_commerce.region.code}&q=鑫隆")
    assert r.json() == {"results": [{"id": world.ent_commerce.pk, "name": world.ent_commerce.name}], "more": False}
    assert client.get("/public/tips/enterprises/?township=12").status_code == 400
    too_long = client.get(f"/public/tips/enterprises/?township={world.ent_commerce.region.code}&q={'厂' * 151}")
    assert too_long.status_code == 400 and "150" in too_long.json()["q"][0]


def test_the_enterprise_picker_says_when_more_enterprises_match_than_it_lists(client, world):
    """The picker lists 20 names in name order and says that others match; narrowing the name
    reaches any of them (here the 25th)."""
    from core.tests.test_lists import clone
    from enterprises.models import Enterprise

    town = world.ent_commerce.region.code
    clone(Enterprise.objects.get(pk=world.ent_commerce.pk), 26, organisation_id=lambda i: None,
          credit_code=lambda i: f"91120105MB{i:08d}", name=lambda i: f"测试商贸{i:05d}号")
    names = sorted(Enterprise.objects.filter(name__startswith="测试商贸").values_list("name", flat=True))
    assert len(names) == 25
    body = client.get(f"/public/tips/enterprises/?township={town}&q=测试商贸").json()
    assert [e["name"] for e in body["results"]] == names[:20] and body["more"] is True
    narrowed = client.get(f"/public/tips/enterprises/?township={town}&q={names[-1]}").json()
    assert [e["name"] for e in narrowed["results"]] == [names[-1]] and narrowed["more"] is False


def test_public_submit_with_photo_and_captcha(client, world, settings):
    settings.TIPS_CAPTCHA_TEST_ANSWER = None
    client.get("/public/tips/captcha.png")
    r = client.post("/public/tips/new/", form_data(world, captcha="wrong"))
    assert r.status_code == 400 and "验证码错误" in r.content.decode()
    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    r = client.post("/public/tips/new/", {**form_data(world), "files": png()})
    assert r.status_code == 200, r.content.decode()[:2000]
    code = r.context["code"]
    tip = Tip.objects.get()
    assert tip.attachments.get().kind == "photo" and tip.anonymous
    r = client.post("/public/tips/track/", {"code": code})
    assert r.status_code == 200 and "河北区商务局" in r.content.decode()
    assert client.post("/public/tips/track/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}).status_code == 404


def test_public_form_errors_in_chinese(client, world, settings):
    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    r = client.post("/public/tips/new/", form_data(world, content="", township="", internal_whistleblower="on"))
    assert r.status_code == 400
    assert set(r.context["form"].errors) >= {"content", "township"}
    r = client.post("/public/tips/new/", form_data(world, internal_whistleblower="on", anonymous=""))
    assert r.status_code == 400 and "企业内部吹哨人须实名" in r.context["form"].errors["name"][0]
    bad = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    r = client.post("/public/tips/new/", {**form_data(world), "files": bad})
    assert r.status_code == 400 and "格式不支持" in r.content.decode()
    r = client.post("/public/tips/new/", form_data(world, longitude="200", latitude="40"))
    assert r.status_code == 400 and "经度" in r.context["form"].errors["longitude"][0]


def test_public_rate_limit(client, world, settings):
    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    settings.TIP_RATE_LIMIT_PER_HOUR = 1
    assert client.post("/public/tips/new/", form_data(world)).status_code == 200
    r = client.post("/public/tips/new/", form_data(world))
    assert r.status_code == 429 and "频繁" in r.content.decode()
    assert client.post("/public/tips/track/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}).status_code == 404
    assert client.post("/public/tips/track/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}).status_code == 429


def test_inbox_matrix(client, world, named_tip):
    check_matrix(client, world, "/tips/", {"anon": "login", "commerce": 200, "committee": 200, "emergency": 200,
                                           "other_region": 200, "enterprise": 403, "agency": 403, "nobody": 403})
    client.force_login(world.user("other_region"))
    assert named_tip.number not in client.get("/tips/").content.decode()


def test_detail_matrix_commerce_tip(client, world, named_tip):
    check_matrix(client, world, f"/tips/{named_tip.pk}/", STAFF_PAGE)


def test_detail_matrix_construction_tip_hidden_from_commerce(client, world, construction_tip):
    check_matrix(client, world, f"/tips/{construction_tip.pk}/", {**STAFF_PAGE, "commerce": 404, "housing": 200})


def test_action_and_reveal_endpoints_matrix(client, world, named_tip):
    url = f"/tips/{named_tip.pk}/accept/"
    check_matrix(client, world, url, {"anon": "login", "other_region": 404, "housing": 404, "emergency": 404,
                                      "enterprise": 403, "nobody": 403, "committee": 400}, method="post", data={})
    check_matrix(client, world, f"/tips/{named_tip.pk}/reveal/", {"anon": "login", "commerce": 403, "committee": 403,
                                                                  "other_region": 404, "enterprise": 403},
                 method="post", data={})
    client.force_login(world.user("commerce"))
    assert client.post(url, {"note": ""}).status_code == 302
    named_tip.refresh_from_db()
    assert named_tip.status == "accepted"
    check_matrix(client, world, "/tips/hotline/", {"anon": "login", "commerce": 200, "committee": 200,
                                                   "enterprise": 403, "agency": 403, "nobody": 403})


def test_identity_never_visible_without_permission(client, world, named_tip):
    for persona in ("commerce", "committee"):
        client.force_login(world.user(persona))
        for url in (f"/tips/{named_tip.pk}/", "/tips/", f"/api/v1/tips/{named_tip.pk}/", "/api/v1/tips/"):
            body = client.get(url).content.decode()
            assert "王小明" not in body and "13912345678" not in body, (persona, url)
        assert client.post(f"/api/v1/tips/{named_tip.pk}/reveal/", content_type="application/json").status_code == 403
    for persona in ("enterprise", "enterprise_other", "agency"):
        client.force_login(world.user(persona))
        assert client.get(f"/api/v1/tips/{named_tip.pk}/").status_code in (403, 404)
        assert client.get(f"/tips/{named_tip.pk}/").status_code == 403


def test_permitted_user_reveals_and_it_is_logged(client, world, named_tip):
    from core.models import SecurityLog

    user = world.user("commerce")
    user.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    client.force_login(user)
    page = client.get(f"/tips/{named_tip.pk}/").content.decode()
    assert "查看身份" in page and "王小明" not in page
    r = client.post(f"/tips/{named_tip.pk}/reveal/")
    assert r.status_code == 200 and "王小明" in r.content.decode()
    assert client.post(f"/api/v1/tips/{named_tip.pk}/reveal/", content_type="application/json").json()["phone"] == "13912345678"
    assert SecurityLog.objects.filter(kind="identity_reveal", user=user).count() == 2


def test_api_matrix_and_actions(client, world, named_tip, construction_tip):
    check_matrix(client, world, "/api/v1/tips/", {"anon": (401, 403), "commerce": 200, "committee": 200,
                                                  "other_region": 200, "enterprise": 403, "agency": 403, "nobody": 403})
    check_matrix(client, world, f"/api/v1/tips/{construction_tip.pk}/", {
        "anon": (401, 403), "housing": 200, "committee": 200, "commerce": 404, "emergency": 404, "other_region": 404,
        "enterprise_other": 403, "enterprise": 403})
    client.force_login(world.user("commerce"))
    ids = {t["id"] for t in client.get("/api/v1/tips/").json()["results"]}
    assert ids == {named_tip.pk}
    r = client.post(f"/api/v1/tips/{named_tip.pk}/verify/", {"result": "maybe", "note": "x"}, content_type="application/json")
    assert r.status_code == 400 and "result" in r.json()["errors"]
    r = client.post(f"/api/v1/tips/{named_tip.pk}/verify/", {"result": "true", "note": "x"}, content_type="application/json")
    assert r.status_code == 400 and "当前状态" in str(r.json())
    assert client.post(f"/api/v1/tips/{named_tip.pk}/accept/", {}, content_type="application/json").json()["status"] == "accepted"
    r = client.post(f"/api/v1/tips/{named_tip.pk}/transfer/", {"reason": "不属本单位"}, content_type="application/json")
    assert r.status_code == 400 and "unit" in r.json()["errors"]
    client.force_login(world.user("committee"))
    assert client.post(f"/api/v1/tips/{named_tip.pk}/close/", {}, content_type="application/json").status_code == 403


def test_staff_pages_drive_the_lifecycle(client, world, named_tip):
    from tips.models import RewardPolicy

    client.force_login(world.user("commerce"))
    base = f"/tips/{named_tip.pk}/"
    assert client.post(base + "accept/", {"note": "受理"}).status_code == 302
    assert client.post(base + "start_verification/", {"note": ""}).status_code == 302
    r = client.post(base + "verify/", {"result": "true", "note": "", "register": "on"})
    assert r.status_code == 400 and "note" in r.context["verify_form"].errors
    assert client.post(base + "verify/", {"result": "true", "note": "属实", "register": "on", "grade": "general",
                                          "description": "疏散通道堵塞"}).status_code == 302
    policy = RewardPolicy.objects.get(code="ordinary")
    assert client.post(base + "decide_reward/", {"line": "reporter", "policy": policy.pk}).status_code == 302
    reward = named_tip.rewards.get()
    page = client.get(base).content.decode()
    assert "审批" in page and "办理记录" in page
    assert 'data-testid="act-close"' not in page  # the reward is not paid yet: 办结 is not offered
    assert client.post(base + f"rewards/{reward.pk}/approve/").status_code == 400  # decider, not a leader
    client.force_login(world.user("commerce_lead"))
    assert client.post(base + f"rewards/{reward.pk}/approve/").status_code == 302
    client.force_login(world.user("commerce"))
    r = client.post(base + f"rewards/{reward.pk}/pay/", {"paid_on": "2999-01-01", "method": "现金"})
    assert r.status_code == 400
    # paid on the day of the approval (today): not before it
    assert client.post(base + f"rewards/{reward.pk}/pay/", {"paid_on": timezone.localdate().isoformat(),
                                                            "method": "现金"}).status_code == 302
    assert 'data-testid="act-close"' in client.get(base).content.decode()  # paid: offered
    assert client.post(base + "close/", {"note": "已办结"}).status_code == 302
    named_tip.refresh_from_db()
    assert named_tip.status == "closed" and named_tip.hazard is not None
    assert client.get("/tips/?status=closed&overdue=").status_code == 200
    assert client.post(base + "fly/").status_code == 404


def test_api_repeated_accept_is_409_with_the_tip(client, world, named_tip):
    client.force_login(world.user("commerce"))
    url = f"/api/v1/tips/{named_tip.pk}/accept/"
    assert client.post(url, {}, content_type="application/json").status_code == 200
    r = client.post(url, {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_done"
    assert r.json()["current"]["status"] == "accepted" and r.json()["current"]["id"] == named_tip.pk


@pytest.mark.django_db
def test_region_picker_lists_every_child_of_a_region_however_many(client, world):
    # the picker is the only way to choose a township: a child missing from it could never be chosen
    from regions.models import Region

    county = Region.objects.get(code="120105")
    before = Region.objects.filter(parent=county).count()
    Region.objects.bulk_create([Region(code=f"9{i:08d}", name=f"测试街道{i}", level=Region.Level.TOWNSHIP, parent=county,
                                       path=f"{county.path}/9{i:08d}") for i in range(600)])
    codes = [r["code"] for r in client.get("/public/tips/regions/?parent=120105").json()["results"]]
    assert len(codes) == before + 600 and "900000599" in codes


def test_an_action_the_tip_has_moved_past_is_409_with_the_reason_on_its_page(client, world, named_tip):
    client.force_login(world.user("commerce"))
    base = f"/tips/{named_tip.pk}/"
    assert client.post(base + "accept/", {"note": "受理"}).status_code == 302
    again = client.post(base + "accept/", {"note": "受理"})  # from a page opened before: the tip is accepted already
    assert again.status_code == 409 and "不能“受理”" in again.content.decode()
    named_tip.refresh_from_db()
    assert named_tip.status == "accepted"


def test_the_handler_is_offered_the_transfer_and_uses_it(client, world, named_tip):
    """不属本单位职责，移交: offered on the tip's page once accepted (it was never offered: the page judged the
    action with the form's unit and reason, which it does not have yet), and it moves the tip."""
    client.force_login(world.user("commerce"))
    base = f"/tips/{named_tip.pk}/"
    assert client.post(base + "accept/", {"note": "受理"}).status_code == 302
    page = client.get(base).content.decode()
    assert 'data-testid="act-transfer"' in page and "或写明平台外接收单位" in page
    r = client.post(base + "transfer/", {"unit": "", "reason": "不属本单位"})
    assert r.status_code == 400 and "请写明接收单位" in r.content.decode()
    assert client.post(base + "transfer/", {"unit": "区城市管理委员会", "reason": "占道经营不属本单位职责"}).status_code == 302
    named_tip.refresh_from_db()
    assert (named_tip.status, named_tip.transfer_unit) == ("transferred", "区城市管理委员会")
    client.force_login(world.user("emergency"))  # not the handling unit: offered nothing
    page = client.get(base).content.decode()
    assert 'data-testid="act-transfer"' not in page
