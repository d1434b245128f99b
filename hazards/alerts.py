"""Who is told what about hazards. Each alert has a dedupe key, so it is sent once."""

from django.contrib.auth import get_user_model

from core.notifications import notify

User = get_user_model()


def _enterprise_users(enterprise, roles=("principal",)):
    if not enterprise.organisation_id:
        return User.objects.none()
    return User.objects.filter(membership__organisation_id=enterprise.organisation_id, membership__role__in=roles, is_active=True)


def notify_major_registered(hazard) -> None:
    """重大隐患 registered: the principal and the actual controller (PRODUCT.md; seed 002 item 11)."""
    ent = hazard.enterprise
    title = f"重大事故隐患登记通知：{ent.name}"
    body = f"{hazard.number}：{hazard.description[:60]}；整改期限 {hazard.deadline or '待定'}。"
    url = f"/hazards/{hazard.pk}/"
    for user in _enterprise_users(ent):
        notify(kind="hazard.major_registered", dedupe_key=f"hazard:{hazard.pk}:registered:user:{user.pk}",
               title=title, body=body, url=url, obj=hazard, user=user, channels=("inapp", "email"))
    if ent.principal_phone:
        notify(kind="hazard.major_registered", dedupe_key=f"hazard:{hazard.pk}:registered:principal",
               title=title, body=body, obj=hazard, name=ent.principal_name, phone=ent.principal_phone, channels=("sms",))
    if ent.controller_phone:
        notify(kind="hazard.major_registered", dedupe_key=f"hazard:{hazard.pk}:registered:controller",
               title=title, body=body, obj=hazard, name=ent.controller_name, phone=ent.controller_phone, channels=("sms",))


def notify_rejected(hazard, acceptance, reason: str, next_steps: str) -> None:
    """The submitter is told why the acceptance failed and what to do next."""
    if acceptance.submitted_by_id is None:
        return
    notify(kind="hazard.rejected", dedupe_key=f"hazard:{hazard.pk}:rejected:{acceptance.pk}",
           title=f"隐患整改验收未通过：{hazard.number}", body=f"理由：{reason}；下一步：{next_steps or '按要求继续整改'}",
           url=f"/hazards/{hazard.pk}/", obj=hazard, user=acceptance.submitted_by, channels=("inapp", "email"))
