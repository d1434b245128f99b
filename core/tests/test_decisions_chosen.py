"""A decision is chosen, never defaulted: a box whose value goes on record as a decision (an approval, a
verification's result, a review's conclusion, the 公安机关's outcome) starts on "请选择" and refuses none
chosen with "请选择…。". The browser used to show the first entry selected — 批准, 属实 (which makes a tip
rewardable), 整改到位, 立案 — and a click on 提交 put it on record. Expected labels are written here."""

import datetime

import pytest
from django.utils import timezone

from enforcement.forms import TransferOutcomeForm
from hazards.actions import DecideExtensionForm
from hazards.forms import RegisterForm
from inspections.forms import ReviewConclusionForm
from obligations.forms import CostForm
from supervision.forms import DelistingDecisionForm, ListedExtensionForm
from tips.forms import ExtensionDecisionForm, VerifyForm

DECISIONS = [
    (DecideExtensionForm, "approve", "审批结论", ["批准", "不予批准"]),
    (DelistingDecisionForm, "decision", "审批结论", ["同意摘牌", "不同意摘牌"]),
    (ListedExtensionForm, "decision", "延期申请", ["同意延期", "不同意"]),
    (ReviewConclusionForm, "conclusion", "复查结论", ["整改到位", "整改不到位"]),
    (TransferOutcomeForm, "outcome", "公安机关处理结果", None),
    (ExtensionDecisionForm, "decision", "审批意见", ["批准延期", "不批准"]),
    (VerifyForm, "result", "核查结果", None),
    (CostForm, "industry", "适用行业", None),  # a classification with no sensible default (obligations tests: its start)
    # classifications a registration must make: 一般 preselected filed a 重大 hazard as 一般 from one click
    (RegisterForm, "grade", "隐患等级", ["一般", "重大"]),
    (RegisterForm, "category", "隐患类别", ["人的不安全行为", "物的不安全状态", "管理缺陷"]),
]


@pytest.mark.parametrize("form_class, name, label, options", DECISIONS, ids=[f"{c.__name__}.{n}" for c, n, *_ in DECISIONS])
def test_a_decision_box_starts_on_a_choice_and_refuses_none(form_class, name, label, options):
    field = form_class.base_fields[name]
    shown = [text for value, text in field.choices]
    assert shown[0] == "请选择" and (options is None or shown[1:] == options), shown
    html = field.widget.render(name, None)
    assert '<option value="" selected>请选择</option>' in html and html.count("selected") == 1
    with pytest.raises(Exception) as refused:
        field.clean("")
    assert refused.value.messages == [f"请选择{label}。"]


@pytest.mark.django_db
def test_an_extension_posted_without_a_decision_is_refused_and_stays_pending(client, world):
    from accounts.models import Sector
    from hazards import services
    from hazards.models import ExtensionRequest

    today = timezone.localdate()
    hazard = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, grade="general",
                                      sector=Sector.objects.get(code="commerce"), description="灭火器过期",
                                      deadline=today + datetime.timedelta(days=10), notify_people=False)
    hazard = services.submit_plan(world.user("enterprise"), hazard)
    services.request_extension(world.user("enterprise"), hazard, new_deadline=today + datetime.timedelta(days=40),
                               reason="设备未到")
    client.force_login(world.user("commerce"))
    url = f"/hazards/{hazard.pk}/actions/decide_extension/"
    response = client.post(url, {"decide_extension-note": "同意"})
    assert response.status_code == 400 and "请选择审批结论。" in response.content.decode()
    assert ExtensionRequest.objects.get().status == "pending"
    assert client.post(url, {"decide_extension-approve": "1"}).status_code == 302  # chosen: decided
    assert ExtensionRequest.objects.get().status == "approved"


@pytest.mark.django_db
def test_a_hazard_registered_without_its_grade_and_category_is_refused_and_nothing_is_filed(client, world):
    from accounts.models import Sector
    from hazards.models import Hazard

    client.force_login(world.user("enterprise"))
    data = {"sector": Sector.objects.get(code="commerce").pk, "description": "安全出口锁闭",
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat()}
    response = client.post("/hazards/new/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "请选择隐患等级。" in page and "请选择隐患类别。" in page
    assert not Hazard.objects.exists()
    response = client.post("/hazards/new/", data | {"grade": "general", "category": "management"})
    assert response.status_code == 302
    assert Hazard.objects.values_list("grade", "category").get() == ("general", "management")
