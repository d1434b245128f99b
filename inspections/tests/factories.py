"""Helpers shared by the inspection tests."""

import datetime

from django.utils import timezone

from inspections import services
from inspections.models import RecordItem


def today():
    return timezone.localdate()


def record(world, persona="emergency", ent=None, inspectors=("emergency",), **kw):
    return services.create_record(world.user(persona), enterprise=ent or world.ent_commerce,
                                  inspectors=[world.user(p) for p in inspectors], inspected_on=today(), **kw)


def with_finding(world, rec, persona="emergency", grade="general"):
    item = rec.items.filter(standard_item__isnull=False).first() or rec.items.first()
    deadline = today() + datetime.timedelta(days=15)
    services.set_item(world.user(persona), item, result=RecordItem.Result.HAZARD, note="安全出口被货物堵塞",
                      grade=grade, deadline=deadline)
    return item
