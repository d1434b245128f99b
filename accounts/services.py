"""Writes for organisations, competence and users. Every change writes an event."""

from django.contrib.auth import get_user_model
from django.db import transaction

from core.events import record
from core.models import SecurityLog
from core.security import log_security
from core.services import NotPermitted, ServiceError, StaleState

from . import account_rules as rules
from .models import Competence, DepartmentType, Membership, Organisation, Sector
from .scope import clear_scope, scope_for

User = get_user_model()


def create_organisation(actor, *, kind: str, name: str, region, department_type: DepartmentType | None = None,
                        parent: Organisation | None = None, code: str | None = None, phone: str = "") -> Organisation:
    """Create an organisation at ``region``. Departments need a department type."""
    if kind == Organisation.Kind.DEPARTMENT and department_type is None:
        raise ServiceError("行业部门必须指定部门类型。", "department_type")
    if kind == Organisation.Kind.TOWNSHIP and region.level != "township":
        raise ServiceError("乡镇（街道）机构必须设在乡级区划。", "region")
    with transaction.atomic():
        org = Organisation(kind=kind, name=name, region=region, department_type=department_type, parent=parent,
                           code=code or None, phone=phone)
        org.set_region_codes(region)
        org.full_clean()
        org.save()
        record(actor, "organisation.created", org, to_state="active", data={"kind": kind, "region": region.code})
    return org


def ensure_organisation(actor, *, kind, name, region, **kwargs) -> Organisation:
    """Idempotent variant used by demo data: same kind+name+region is reused."""
    existing = Organisation.objects.filter(kind=kind, name=name, region=region).first()
    return existing or create_organisation(actor, kind=kind, name=name, region=region, **kwargs)


def can_manage_competence(actor, department: Organisation) -> bool:
    scope = scope_for(actor)
    if scope.everything:
        return True
    membership = getattr(actor, "membership", None)
    return (
        membership is not None and membership.can_write
        and membership.organisation.kind == Organisation.Kind.COMMITTEE
        and Organisation.objects.visible_to(actor).filter(pk=department.pk).exists()
    )


def set_competence(actor, *, department: Organisation, sector: Sector, role: str = Competence.Role.LEAD,
                   region=None) -> Competence:
    """Give (or change) a department's competence for a sector. Committee office or superuser only."""
    if department.kind != Organisation.Kind.DEPARTMENT:
        raise ServiceError("只能为行业部门设置监管职责。", "department")
    if actor is not None and not can_manage_competence(actor, department):
        raise NotPermitted()
    region = region or department.region
    with transaction.atomic():
        comp, created = Competence.objects.get_or_create(
            department=department, sector=sector, region=region, defaults={"role": role}
        )
        old = "" if created else comp.role
        if not created and comp.role != role:
            Competence.objects.filter(pk=comp.pk).update(role=role)
            comp.role = role
        if created or old != role:
            record(actor, "competence.set", department, from_state=old, to_state=role,
                   data={"sector": sector.code, "region": region.code})
    return comp


def remove_competence(actor, competence: Competence) -> None:
    if actor is not None and not can_manage_competence(actor, competence.department):
        raise NotPermitted()
    with transaction.atomic():
        record(actor, "competence.removed", competence.department, from_state=competence.role,
               data={"sector": competence.sector.code, "region": competence.region.code})
        competence.delete()


def _refuse(reason: str, field: str | None = None) -> None:
    """A refusal of the account rule (``account_rules``): out of scope or not an administrator is
    NotPermitted (the page answers 404/403); the other refusals name their field."""
    if not reason:
        return
    if reason in (rules.NOT_AN_ADMINISTRATOR, rules.OUT_OF_SCOPE, rules.PRIVILEGED):
        raise NotPermitted(reason)
    raise ServiceError(reason, field, code="permission_denied")


def _check_password(password: str | None, user) -> None:
    if not password:
        return
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("".join(exc.messages), "password")


def create_user(actor, *, username: str, password: str | None, organisation: Organisation, role: str,
                full_name: str = "", email: str = "", phone: str = "", title: str = "", is_inspector: bool = False,
                inspector_cert: str = "", request=None) -> User:
    """Create a login placed in ``organisation`` with ``role``. ``actor`` must manage the accounts of
    ``organisation`` (``account_rules``; None = system: demo data, loaders); the organisation must be
    active, the role one of its kind's, the user name free and valid. A password given by a person
    passes the password validators (None: no usable password until one is reset). One
    ``user.created`` event and a security-log row."""
    _refuse(rules.creation_refusal(actor, organisation), "organisation")
    if not organisation.is_active:
        raise ServiceError("该单位已停用，不能新建账户。", "organisation")
    username = (username or "").strip()
    if not username:
        raise ServiceError("请填写登录名。", "username")
    try:
        User.username_validator(username)
    except Exception:  # noqa: BLE001 - Django's validator raises ValidationError with an English text
        raise ServiceError("登录名只能包含字母、数字和 @ . + - _ 字符。", "username")
    if len(username) > 150:
        raise ServiceError("登录名不能超过150个字符。", "username")
    if User.objects.filter(username=username).exists():
        raise ServiceError("登录名已被使用。", "username")
    reason = rules.role_refusal(organisation, role)
    if reason:
        raise ServiceError(reason, "role")
    if is_inspector and organisation.kind == Organisation.Kind.ENTERPRISE:
        raise ServiceError("企业人员不能设为执法检查人员。", "is_inspector")
    user = User(username=username, email=email, first_name=full_name)
    if actor is not None:
        _check_password(password, user)
    with transaction.atomic():
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        membership = Membership.objects.create(user=user, organisation=organisation, role=role, phone=phone,
                                               title=title, is_inspector=is_inspector,
                                               inspector_cert=inspector_cert)
        record(actor, "user.created", membership, to_state=role, data={"organisation": organisation.pk})
        if actor is not None:
            log_security(SecurityLog.Kind.ACCOUNT_CREATED, request=request, user=actor, target=username,
                         organisation=organisation.name, role=role)
    return user


def set_inspector(actor, membership: Membership, *, is_inspector: bool, cert: str | None = None) -> Membership:
    """Mark (or unmark) a government user as a law-enforcement inspector (执法检查人员), who can be
    drawn for 双随机 inspections and sign records. ``actor`` must manage the account and may not
    set its own flag."""
    _refuse(rules.account_refusal(actor, membership, rules.Action.INSPECTOR), "is_inspector")
    if membership.organisation.kind == Organisation.Kind.ENTERPRISE and is_inspector:
        raise ServiceError("企业人员不能设为执法检查人员。", "is_inspector")
    old = membership.is_inspector
    updates = {"is_inspector": is_inspector}
    if cert is not None:
        updates["inspector_cert"] = cert
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(**updates)
        for field, value in updates.items():
            setattr(membership, field, value)
        if old != is_inspector or cert is not None:
            record(actor, "user.inspector_set", membership, from_state=str(old), to_state=str(is_inspector),
                   data={"cert": membership.inspector_cert})
    return membership


def change_role(actor, membership: Membership, role: str, request=None) -> Membership:
    """Change a user's role (compare-and-set on the old role); written to the event trail and the
    security log. ``actor`` must manage the account and may not change its own role; the role must
    fit the organisation's kind."""
    _refuse(rules.account_refusal(actor, membership, rules.Action.ROLE), "role")
    reason = rules.role_refusal(membership.organisation, role)
    if reason:
        raise ServiceError(reason, "role")
    old = membership.role
    if old == role:
        return membership
    with transaction.atomic():
        if Membership.objects.filter(pk=membership.pk, role=old).update(role=role) != 1:
            raise StaleState()
        membership.role = role
        record(actor, "user.role_changed", membership, from_state=old, to_state=role)
        log_security(SecurityLog.Kind.ROLE_CHANGED, request=request, user=actor,
                     target=membership.user.username, old=old, new=role)
    clear_scope(membership.user)
    return membership


def set_identity_revealer(actor, user, *, allowed: bool, request=None):
    """Designate (or stop designating) a person who may reveal a whistle-blower's identity
    (举报人身份, 举报奖励办法 — kept confidential; only designated persons, every reveal logged)."""
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(content_type__app_label="tips", codename="reveal_identity")
    had = user.user_permissions.filter(pk=perm.pk).exists()
    if had == allowed:
        return user
    membership = getattr(user, "membership", None)
    if allowed and (membership is None or membership.organisation.kind == Organisation.Kind.ENTERPRISE):
        raise ServiceError("只有政府部门的人员可以被指定查看举报人身份。", "user")
    with transaction.atomic():
        (user.user_permissions.add if allowed else user.user_permissions.remove)(perm)
        record(actor, "user.revealer_set", membership or user, from_state=str(had), to_state=str(allowed))
        log_security(SecurityLog.Kind.ROLE_CHANGED, request=request, user=actor, target=user.username,
                     old="revealer" if had else "", new="revealer" if allowed else "")
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user
