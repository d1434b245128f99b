"""Editing the reward policy table: versioned with an effective date, each change an event.

Who may edit: the committee office (安委办) staff with write rights, or a user holding the
``tips.change_rewardpolicy`` permission (a designated admin role), or a superuser. A revision is a
new row (same ``code``, ``version`` + 1, ``effective_from``); rewards decided on a date use the
version in force then (``RewardPolicy.in_force``), so past decisions never change."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError

from .models import RewardPolicy

FIELDS = ("name", "kind", "percent", "min_amount", "max_amount", "fixed_amount", "internal_topup_percent",
          "topup_above_cap", "accident_grade", "basis")


def can_edit_rules(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("tips.change_rewardpolicy"):
        return True
    m = getattr(user, "membership", None)
    return bool(m and m.can_write and m.organisation.kind == "committee")


def _money(value, field, label) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ServiceError(f"{label}须为数字。", field)
    if not d.is_finite() or d < 0:
        raise ServiceError(f"{label}不能为负数。", field)
    return d


def revise_reward_policy(actor, policy: RewardPolicy, *, effective_from: datetime.date, **values) -> RewardPolicy:
    """A new version of ``policy`` in force from ``effective_from`` (today or later)."""
    if not can_edit_rules(actor):
        raise NotPermitted("只有安委会办公室或指定的管理员可以修改奖励标准。")
    if effective_from is None or effective_from < timezone.localdate():
        raise ServiceError("施行日期不能早于今天（已作出的奖励决定不受影响）。", "effective_from")
    data = {f: getattr(policy, f) for f in FIELDS}
    data.update({k: v for k, v in values.items() if k in FIELDS and v is not None})
    if data["kind"] not in RewardPolicy.Kind.values:
        raise ServiceError("计算方式无效。", "kind")
    for f, label in (("percent", "比例"), ("min_amount", "最低金额"), ("max_amount", "最高金额"),
                     ("fixed_amount", "固定金额"), ("internal_topup_percent", "上浮比例")):
        data[f] = _money(data[f], f, label)
    if data["percent"] > 100:
        raise ServiceError("比例不能超过100%。", "percent")
    if data["max_amount"] and data["min_amount"] > data["max_amount"]:
        raise ServiceError("最低金额不能高于最高金额。", "min_amount")
    if not (data["name"] or "").strip():
        raise ServiceError("请填写名称。", "name")
    with transaction.atomic():
        latest = RewardPolicy.objects.select_for_update().filter(code=policy.code).order_by("-version").first()
        if RewardPolicy.objects.filter(code=policy.code, effective_from=effective_from).exists():
            raise ServiceError("该施行日期已有版本，请选择其他日期。", "effective_from")
        # a later version already exists: the new one is in force only until the day before it, the
        # later version keeps its values (docs/rules.md "Revising before a later version")
        later = (RewardPolicy.objects.filter(code=policy.code, effective_from__gt=effective_from)
                 .order_by("effective_from", "version").first())
        new = RewardPolicy.objects.create(code=policy.code, version=latest.version + 1, effective_from=effective_from,
                                          is_active=True, **data)
        changed = {f: [str(getattr(policy, f)), str(data[f])] for f in FIELDS if str(getattr(policy, f)) != str(data[f])}
        event = {"table": "RewardPolicy", "code": new.code, "version": new.version,
                 "effective_from": effective_from.isoformat(), "changes": changed}
        if later is not None:
            event.update(until=(later.effective_from - datetime.timedelta(days=1)).isoformat(),
                         later_version=later.version, later_effective_from=later.effective_from.isoformat())
        record(actor, "rule.revised", new, data=event)
        new.later = later
    return new
