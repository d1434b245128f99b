"""What a user may do with enterprises (what it may see is ``Enterprise.objects.visible_to``)."""

from accounts import permissions as perms
from accounts.scope import scope_for

#: the refusal of what :func:`can_register` guards, as the 403 page says it
REGISTRARS_ONLY = "只有政府部门的经办人员可以登记、编辑和导入生产经营单位。"


def can_register(user) -> bool:
    """Create enterprises, edit whole profiles, import: government users with a write role."""
    return perms.is_government(user) and perms.can_write(user)


def can_edit_profile(user, ent) -> bool:
    """``ent`` must already be visible to ``user`` (views fetch it with get_visible_or_404)."""
    return can_register(user)


def can_close(user, ent) -> bool:
    """关闭（注销）: a registrar with an approver role (a unit's leader or administrator) who sees the
    unit (the service holds it too, not only the page's and the API's 404)."""
    return can_register(user) and perms.can_approve(user) and _sees(user, ent)


def can_edit_contacts(user, ent) -> bool:
    """Principal / controller phones and safety managers: government writers, or the enterprise's own
    principal or safety manager."""
    if can_register(user):
        return True
    if not perms.is_enterprise_user(user) or not perms.can_write(user):
        return False
    return ent.pk in (scope_for(user).enterprise_ids or ())


def region_allowed(user, region) -> bool:
    """A township inside the user's region (superusers: anywhere)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    return bool(scope.region_path) and (region.path == scope.region_path or region.path.startswith(scope.region_path + "/"))


def sectors_allowed(user, sectors) -> bool:
    """An industry department may only register enterprises in a sector it supervises (at least
    one of them; what it may change on an existing one: ``sector_change_refusal``)."""
    scope = scope_for(user)
    return scope.everything or scope.sector_ids is None or any(s.pk in scope.sector_ids for s in sectors)


def sector_change_refusal(user, before, after, competence=None) -> str:
    """Why ``user`` may not change an enterprise's sectors from ``before`` to ``after`` ("" when it
    may): an industry department acts on its region × its sectors (PRODUCT.md, 管行业必须管安全), so it
    adds or removes only sectors inside its competence; the other sectors stay as they were.
    Comprehensive departments (应急管理局), 安委办, township offices and superusers: any change.
    ``competence`` (sector ids) may be passed instead of reading the user's scope (the import)."""
    if competence is None:
        scope = scope_for(user)
        competence = None if scope.everything else scope.sector_ids
    if competence is None:
        return ""
    changed = {s for s in before if s not in after} | {s for s in after if s not in before}
    outside = sorted((s for s in changed if s.pk not in competence), key=lambda s: s.code)
    if not outside:
        return ""
    names = "、".join(s.name for s in outside)
    return f"行业领域“{names}”不在您部门的监管职责内，不能增加或移除（须由其主管部门、应急管理部门或安委办调整）。"


def can_reopen(user, ent) -> bool:
    """恢复正常经营 of a closed unit: the same approver who may close it (``can_close``)."""
    return can_close(user, ent)


def _sees(user, ent) -> bool:
    from .models import Enterprise

    scope = scope_for(user)
    if scope.everything or scope.nothing:
        return scope.everything
    if scope.enterprise_ids is not None:
        return ent.pk in scope.enterprise_ids
    return Enterprise.objects.visible_to(user).filter(pk=ent.pk).exists()


def engaging_side(user, ent) -> str | None:
    """For whom ``user`` engages a third-party agency for ``ent``: "enterprise" (企业委托 — the
    enterprise's own writing users), "government" (政府购买服务 — government writers who see the
    enterprise: its region and, for an industry department, one of its sectors), "any" (superusers,
    who say which), or None (may not engage: viewers, agencies, other enterprises, out of scope)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return "any"
    if not perms.can_write(user) or not _sees(user, ent):
        return None
    if perms.is_enterprise_user(user):
        return "enterprise"
    if perms.is_government(user):
        return "government"
    return None


def can_engage(user, ent) -> bool:
    return engaging_side(user, ent) is not None


def can_end_engagement(user, eng) -> bool:
    """End an engagement early: the side that commissioned it (the enterprise's writers for 企业委托,
    government writers who see the enterprise for 政府购买服务); superusers."""
    side = engaging_side(user, eng.enterprise)
    return side == "any" or side == eng.engaged_by
