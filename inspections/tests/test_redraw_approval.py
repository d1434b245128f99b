"""重新抽取 needs a request with its reason and the approval of the department's 负责人, someone
other than the requester; the new draw is made at approval. A draw checks have started from is not
redrawn. Requests are kept, with events, whatever the decision."""

import pytest
from django.contrib.auth import get_user_model

from core.models import Event, Notification
from core.services import NotPermitted, ServiceError, StaleState
from core.testing import client_as
from inspections import redraw, services
from inspections.models import Draw, RedrawRequest

from .factories import today


@pytest.fixture
def plan(world):
    p = services.create_plan(world.user("emergency"), title="双随机计划", year=today().year, planned_count=2)
    services.make_draw(world.user("emergency"), p, count=2, per_enterprise=1)
    return p


def current(plan):
    return Draw.objects.get(plan=plan, superseded=False)


def ask(world, plan, persona="emergency", **kw):
    return redraw.request_redraw(world.user(persona), plan, **{"count": 2, "per_enterprise": 1, "reason": "一名检查人员病假", **kw})


def test_an_officer_cannot_redraw_by_himself_however_often_he_gives_a_reason(world, plan):
    first = current(plan)
    for _ in range(3):
        with pytest.raises(ServiceError) as exc:
            services.make_draw(world.user("emergency"), plan, count=2, per_enterprise=1, reason="结果不理想")
        assert exc.value.field == "reason" and "负责人批准" in exc.value.message
    assert list(Draw.objects.filter(plan=plan)) == [first]


def test_a_request_draws_nothing_and_tells_the_departments_approvers(world, plan):
    first = current(plan)
    req = ask(world, plan)
    assert req.status == "pending" and req.draw == first and req.requested_by == world.user("emergency")
    assert list(Draw.objects.filter(plan=plan)) == [first] and not first.superseded
    assert Event.objects.filter(verb="inspection.redraw_requested", object_id=req.pk).count() == 1
    told = set(Notification.objects.filter(kind="inspection.redraw_requested").values_list("recipient__username", flat=True))
    assert told == {world.user("emergency_lead").username}  # the department's 负责人, not the requester or officers


def test_the_approver_draws_again_and_the_old_draw_is_kept(world, plan, monkeypatch):
    first = current(plan)
    req = ask(world, plan)
    monkeypatch.setattr(services.secrets, "randbits", lambda bits: 777)  # the seed is taken at approval
    new = redraw.approve_redraw(world.user("emergency_lead"), req, note="同意")
    first.refresh_from_db()
    req.refresh_from_db()
    assert first.superseded and first.superseded_by == new and new.seed == 777 and new.redraw_reason == "一名检查人员病假"
    assert req.status == "approved" and req.new_draw == new and req.decided_by == world.user("emergency_lead")
    assert services.replay(new) == new.result
    ev = Event.objects.get(verb="inspection.redraw_approved", object_id=req.pk)
    assert ev.data == {"draw": first.pk, "new_draw": new.pk} and ev.note == "同意"
    assert Notification.objects.filter(kind="inspection.redraw_decided", recipient=world.user("emergency")).count() == 1


@pytest.mark.parametrize("persona,reason", [("emergency", "负责人"), ("emergency2", "负责人"), ("commerce_lead", "本部门"),
                                            ("committee_lead", "本部门")])
def test_only_a_leader_of_the_department_decides(world, plan, persona, reason):
    req = ask(world, plan)
    for decide in (lambda u: redraw.approve_redraw(u, req), lambda u: redraw.refuse_redraw(u, req, note="不同意")):
        with pytest.raises(NotPermitted, match=reason):
            decide(world.user(persona))
    assert RedrawRequest.objects.get(pk=req.pk).status == "pending" and Draw.objects.filter(plan=plan).count() == 1


def test_a_leader_cannot_approve_his_own_request(world, plan):
    req = ask(world, plan, persona="emergency_lead")
    with pytest.raises(NotPermitted, match="本人"):
        redraw.approve_redraw(world.user("emergency_lead"), req)
    assert not Notification.objects.filter(kind="inspection.redraw_requested", recipient=world.user("emergency_lead")).exists()


def test_a_refusal_needs_a_reason_and_the_draw_stands(world, plan):
    first = current(plan)
    req = ask(world, plan)
    with pytest.raises(ServiceError) as exc:
        redraw.refuse_redraw(world.user("emergency_lead"), req, note="  ")
    assert exc.value.field == "decision_note"
    req = redraw.refuse_redraw(world.user("emergency_lead"), req, note="理由不充分")
    assert req.status == "refused" and req.decision_note == "理由不充分"
    assert current(plan) == first and Draw.objects.filter(plan=plan).count() == 1
    with pytest.raises(StaleState):
        redraw.approve_redraw(world.user("emergency_lead"), req)
    assert Event.objects.filter(verb="inspection.redraw_refused", object_id=req.pk).count() == 1


def test_one_pending_request_at_a_time_and_a_reason_is_required(world, plan):
    with pytest.raises(ServiceError) as exc:
        ask(world, plan, reason=" ")
    assert exc.value.field == "reason"
    ask(world, plan)
    with pytest.raises(ServiceError, match="待审批"):
        ask(world, plan, persona="emergency2")
    assert RedrawRequest.objects.count() == 1


def test_a_plan_never_drawn_needs_no_request(world):
    p = services.create_plan(world.user("emergency"), title="未抽取计划", year=today().year, planned_count=1)
    with pytest.raises(ServiceError, match="尚未抽取"):
        ask(world, p)


def _start_check(world, plan):
    d = current(plan)
    row = d.result[0]
    team = list(get_user_model().objects.filter(pk__in=row["inspectors"]))
    from enterprises.models import Enterprise

    return services.create_record(world.user("emergency"), enterprise=Enterprise.objects.get(pk=row["enterprise"]),
                                  inspectors=team, inspected_on=today(), draw=d)


def test_a_draw_checks_have_started_from_is_not_redrawn(world, plan):
    _start_check(world, plan)
    with pytest.raises(ServiceError, match="已按本次抽取结果开展检查（1家）"):
        ask(world, plan)


def test_checks_started_after_the_request_stop_its_approval(world, plan):
    req = ask(world, plan)
    _start_check(world, plan)
    with pytest.raises(ServiceError, match="已按本次抽取结果开展检查"):
        redraw.approve_redraw(world.user("emergency_lead"), req)
    assert Draw.objects.filter(plan=plan).count() == 1 and RedrawRequest.objects.get(pk=req.pk).status == "pending"


# ---------------------------------------------------------------- the plan page

def test_the_plan_page_turns_a_second_draw_into_a_request_and_the_leader_decides_there(client, world, plan):
    first = current(plan)
    client.force_login(world.user("emergency"))
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "申请重新抽取" in page and 'name="reason"' in page
    r = client.post(f"/inspections/plans/{plan.pk}/", {"count": 2, "per_enterprise": 1})
    assert r.status_code == 400 and "重新抽取原因" in r.content.decode() and not RedrawRequest.objects.exists()
    r = client.post(f"/inspections/plans/{plan.pk}/", {"count": 2, "per_enterprise": 1, "reason": "人员调整"})
    assert r.status_code == 302 and Draw.objects.filter(plan=plan).count() == 1
    req = RedrawRequest.objects.get()
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "待审批" in page and 'data-testid="redraw-approve"' not in page  # the requester sees no decision buttons
    assert client.post(f"/inspections/redraws/{req.pk}/approve/").status_code == 403
    client.force_login(world.user("emergency_lead"))
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert 'data-testid="redraw-approve"' in page
    r = client.post(f"/inspections/redraws/{req.pk}/refuse/", {"decision_note": ""})  # the plan again, under the field
    assert r.status_code == 400 and RedrawRequest.objects.get().status == "pending"
    assert '<div class="invalid-feedback d-block" data-field="decision_note">请填写不予批准的理由。</div>' in r.content.decode()
    r = client.post(f"/inspections/redraws/{req.pk}/approve/", {"decision_note": "同意"})
    assert r.status_code == 302
    # decided already (a second leader's page opened before): 409, saying so on the plan's page
    late = client.post(f"/inspections/redraws/{req.pk}/refuse/", {"decision_note": "不同意"})
    assert late.status_code == 409 and "该申请已审批。" in late.content.decode()
    first.refresh_from_db()
    assert first.superseded and RedrawRequest.objects.get().status == "approved"


@pytest.mark.parametrize("persona,status", [("other_region", 404), ("township", 404), ("enterprise", 404), ("commerce_lead", 404),
                                            ("nobody", 404)])
def test_another_region_sector_enterprise_or_nobody_cannot_see_or_decide(client, world, plan, persona, status):
    req = ask(world, plan)
    client.force_login(world.user(persona))
    assert client.post(f"/inspections/redraws/{req.pk}/approve/").status_code == status
    assert client.post(f"/inspections/redraws/{req.pk}/refuse/", {"decision_note": "x"}).status_code == status
    assert RedrawRequest.objects.get(pk=req.pk).status == "pending"


def test_anonymous_is_sent_to_log_in(client, world, plan):
    req = ask(world, plan)
    r = client.post(f"/inspections/redraws/{req.pk}/approve/")
    assert r.status_code == 302 and "/login" in r["Location"]
    assert RedrawRequest.objects.get(pk=req.pk).status == "pending"


def test_the_api_lists_requests_in_scope_only_and_cannot_write_them(client, world, plan):
    req = ask(world, plan)
    client_as(client, world, "emergency_lead")
    body = client.get("/api/v1/inspections/redraw-requests/").json()
    assert [r["id"] for r in body["results"]] == [req.pk] and body["results"][0]["status"] == "pending"
    assert client.post("/api/v1/inspections/redraw-requests/", {"plan": plan.pk}, content_type="application/json").status_code == 405
    client_as(client, world, "other_region")
    assert client.get(f"/api/v1/inspections/redraw-requests/{req.pk}/").status_code == 404
    assert client.get("/api/v1/inspections/redraw-requests/").json()["results"] == []


def test_a_superuser_without_a_unit_sees_the_plan_and_its_requests(client, world, plan):
    ask(world, plan)
    client.force_login(world.user("admin"))
    r = client.get(f"/inspections/plans/{plan.pk}/")
    assert r.status_code == 200 and "待审批" in r.content.decode() and 'data-testid="redraw-approve"' not in r.content.decode()
