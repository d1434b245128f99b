"""Shared builders for supervision tests: major hazards and listings through the services."""

import datetime

from django.utils import timezone

from accounts.models import Sector
from hazards import services as hz
from supervision import services

PLAN = dict(goal_tasks="消除隐患", measures="拆除门锁，清理通道", funds_materials="2万元，已落实", responsible="行政部 张三",
            deadline=datetime.date(2030, 1, 31), safety_emergency="封闭该区域，应急预案已修订")


def major_hazard(world, *, construction=False, description="安全出口锁闭，疏散通道堆放杂物"):
    if construction:
        return hz.register_hazard(world.user("housing"), enterprise=world.ent_construction,
                                  sector=Sector.objects.get(code="construction"), description="深基坑未按方案支护",
                                  grade="major", basis_reason="可能导致坍塌",
                                  deadline=timezone.localdate() + datetime.timedelta(days=60))
    return hz.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                              description=description, grade="major", basis_reason="可能导致群死群伤",
                              deadline=timezone.localdate() + datetime.timedelta(days=60))


def propose(world, hazard, *, department="commerce", days=30, actor="committee"):
    return services.propose_listing(world.user(actor), hazard=hazard, responsible_department=world.org(department),
                                    deadline=timezone.localdate() + datetime.timedelta(days=days),
                                    requirements="限期整改，每月报告进展")


def listed(world, hazard=None, **kw):
    hazard = hazard or major_hazard(world)
    return services.approve(world.user("committee_lead"), propose(world, hazard, **kw))


def close_hazard(world, hazard):
    hz.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hz.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="门锁已拆除，通道已清理")
    hazard.refresh_from_db()
    return hz.accept(world.user("commerce_lead"), hazard, mode="on_site", opinion="现场核查，整改到位")
