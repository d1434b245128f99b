"""Writes for organisations, competence and users. Every change writes an event."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
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
    """Create an organisation at ``region``. Departments need a department type. ``actor`` must be
    allowed to set up the unit (``account_rules.organisation_refusal``: a committee office's
    administrators the government units of its region and below; superusers and system jobs —
    actor None: demo data, loaders, benchmarks — any); refused: NotPermitted, nothing written. An
    enterprise's login unit is never set up here, by anyone (``check_new_organisation``)."""
    check_new_organisation(actor, kind=kind, region=region, department_type=department_type)
    with transaction.atomic():
        org = Organisation(kind=kind, name=name, region=region, department_type=department_type, parent=parent,
                           code=code or None, phone=phone)
        org.set_region_codes(region)
        org.full_clean()
        org.save()
        record(actor, "organisation.created", org, to_state="active", data={"kind": kind, "region": region.code})
    return org


def ensure_organisation(actor, *, kind, name, region, **kwargs) -> Organisation:
    """Idempotent variant used by demo data: same kind+name+region is reused. The same guard as
    ``create_organisation``, also when the unit exists (the answer does not depend on it)."""
    _refuse_enterprise_unit(kind)
    _refuse_unit(actor, kind=kind, region=region)
    existing = Organisation.objects.filter(kind=kind, name=name, region=region).first()
    return existing or create_organisation(actor, kind=kind, name=name, region=region, **kwargs)


#: an enterprise's login unit is opened with its first account (``open_enterprise_account`` →
#: ``enterprises.services.ensure_enterprise_organisation``, which links it to the enterprise and
#: records ``enterprise.organisation_created``); one set up on its own would be linked to nothing
ENTERPRISE_UNIT_REFUSAL = "生产经营单位的登录单位随其第一个账户开通（账号管理），不在此新建。"


def _refuse_enterprise_unit(kind: str) -> None:
    if kind == Organisation.Kind.ENTERPRISE:
        raise ServiceError(ENTERPRISE_UNIT_REFUSAL, "kind")


def check_new_organisation(actor, *, kind: str, region, department_type: DepartmentType | None) -> None:
    """The checks of setting up a new unit: never an enterprise's login unit (ServiceError on
    ``kind``, whoever asks — a superuser too), then ``check_organisation``. The Django admin's unit
    form runs it when adding."""
    _refuse_enterprise_unit(kind)
    check_organisation(actor, kind=kind, region=region, department_type=department_type)


def _refuse_unit(actor, *, kind: str, region) -> None:
    reason = rules.organisation_refusal(actor, kind=kind, region=region)
    if reason:
        raise NotPermitted(reason)


def check_organisation(actor, *, kind: str, region, department_type: DepartmentType | None) -> None:
    """The checks of setting up (or keeping) a unit of ``kind`` at ``region``: the organisation
    account rule, then what the kind needs. ServiceError (NotPermitted for the rule); the Django
    admin's unit form runs it to show the refusal under its fields before anything is written."""
    _refuse_unit(actor, kind=kind, region=region)
    if kind == Organisation.Kind.DEPARTMENT and department_type is None:
        raise ServiceError("行业部门必须指定部门类型。", "department_type")
    if kind == Organisation.Kind.TOWNSHIP and region.level != "township":
        raise ServiceError("乡镇（街道）机构必须设在乡级区划。", "region")


#: what ``update_organisation`` changes: a unit's kind and region stay (its people, competences and
#: records are scoped by them — a unit moved elsewhere is a new unit)
ORGANISATION_FIELDS = ("name", "code", "phone", "parent", "department_type", "is_active")


def update_organisation(actor, org: Organisation, **changes) -> Organisation:
    """Change a unit's name, code, phone, parent unit, department type or whether it is active (停用:
    its people lose their scope and no account is created or reactivated in it). ``actor`` must be
    allowed to set up such a unit where it is (``account_rules.organisation_refusal``, as for
    ``create_organisation``). One ``organisation.updated`` event with the changed fields (old → new;
    from/to state active/inactive when that changed) when anything changed."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ServiceError("只能修改机构的名称、编码、电话、上级单位、部门类型和启用状态。", sorted(unknown)[0])
    department_type = changes.get("department_type", org.department_type)
    check_organisation(actor, kind=org.kind, region=org.region, department_type=department_type)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip() or None
    if "parent" in changes and changes["parent"] is not None and changes["parent"].pk == org.pk:
        raise ServiceError("上级单位不能是本单位。", "parent")
    diff = {field: (getattr(org, field), value) for field, value in changes.items() if getattr(org, field) != value}
    if not diff:
        return org
    with transaction.atomic():
        for field, (_, value) in diff.items():
            setattr(org, field, value)
        org.full_clean(exclude=["region"])
        org.save(update_fields=list(diff))
        states = ("active" if diff["is_active"][0] else "inactive", "active" if org.is_active else "inactive") \
            if "is_active" in diff else ("", "")
        record(actor, "organisation.updated", org, from_state=states[0], to_state=states[1],
               data={"changes": {field: [_plain(old), _plain(new)] for field, (old, new) in diff.items()}})
    return org


def _plain(value):
    """An event's copy of a value: a row by its id and name."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return {"id": value.pk, "name": str(value)}


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


#: a sector's 高危行业 flag is reference data every enterprise of the sector derives its 高危 from
#: (inspection frequency caps, monthly principal checks, staffing rules): the Django admin's superusers
#: change it, and system jobs (actor None)
SECTOR_HIGH_RISK_REFUSAL = "只有超级用户可以变更行业领域的高危行业认定。"


def check_sector_high_risk(actor) -> None:
    """The guard of ``set_sector_high_risk`` (the admin's sector form runs it to refuse under the form)."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted(SECTOR_HIGH_RISK_REFUSAL)


def set_sector_high_risk(actor, sector: Sector, *, high_risk: bool) -> int:
    """Turn ``sector``'s 高危行业 flag on or off (compare-and-set on the flag ``sector`` holds:
    StaleState if another changed it first) and, in the same transaction, derive 高危 again for every
    enterprise of the sector without 人工认定 (``enterprises.services.follow_sector``: bulk statements,
    an ``enterprise.updated`` event for each whose flag changes). One ``sector.high_risk_changed``
    event on the sector (``changes.high_risk`` old → new, how many enterprises changed). The same
    flag changes nothing and records nothing. Returns how many enterprises changed."""
    from enterprises.services import follow_sector  # enterprises depend on accounts, not the reverse

    check_sector_high_risk(actor)
    high_risk = bool(high_risk)
    before = sector.high_risk
    if before == high_risk:
        return 0
    with transaction.atomic():
        if Sector.objects.filter(pk=sector.pk, high_risk=before).update(high_risk=high_risk) != 1:
            raise StaleState()
        sector.high_risk = high_risk
        changed = follow_sector(actor, sector)
        record(actor, "sector.high_risk_changed", sector,
               data={"changes": {"high_risk": [str(before), str(high_risk)]}, "enterprises": changed})
    return changed


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


def open_enterprise_account(actor, enterprise, **fields) -> User:
    """The first (or a further) account of an enterprise: its login organisation is created when it
    has none (``enterprises.services.ensure_enterprise_organisation``), then ``create_user`` — one
    transaction. ``actor`` must manage the enterprise's accounts (``account_rules.manages_enterprise``)."""
    from enterprises.services import ensure_enterprise_organisation

    if actor is not None and not rules.manages_enterprise(actor, enterprise):
        raise NotPermitted(rules.OUT_OF_SCOPE if rules.may_manage_accounts(actor) else rules.NOT_AN_ADMINISTRATOR)
    with transaction.atomic():
        org = ensure_enterprise_organisation(actor, enterprise)
        return create_user(actor, organisation=org, **fields)


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


#: the account's own details, editable by whoever manages it (the holder included)
DETAIL_FIELDS = {"full_name": 60, "email": 254, "phone": 20, "title": 60}


def update_account(actor, membership: Membership, **details) -> Membership:
    """Change an account's details (name, e-mail, mobile, job title — ``DETAIL_FIELDS``); ``actor``
    must manage the account (its own included). One ``user.updated`` event with the changed fields
    (old → new) when anything changed."""
    _refuse(rules.account_refusal(actor, membership, rules.Action.EDIT))
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ServiceError("只能修改姓名、电子邮箱、手机和职务。", sorted(unknown)[0])
    details = {k: (v or "").strip() for k, v in details.items()}
    for field, value in details.items():
        if len(value) > DETAIL_FIELDS[field]:
            raise ServiceError(f"不能超过{DETAIL_FIELDS[field]}个字符。", field)
    if details.get("email"):
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(details["email"])
        except ValidationError:
            raise ServiceError("请填写有效的电子邮箱。", "email")
    user = membership.user
    before = {"full_name": user.first_name, "email": user.email, "phone": membership.phone, "title": membership.title}
    changes = {k: [before[k], v] for k, v in details.items() if before[k] != v}
    if not changes:
        return membership
    with transaction.atomic():
        user_updates = {column: changes[field][1] for field, column in (("full_name", "first_name"), ("email", "email"))
                        if field in changes}
        if user_updates:
            User.objects.filter(pk=user.pk).update(**user_updates)
            for column, value in user_updates.items():
                setattr(user, column, value)
        member_updates = {f: changes[f][1] for f in ("phone", "title") if f in changes}
        if member_updates:
            Membership.objects.filter(pk=membership.pk).update(**member_updates)
            for field, value in member_updates.items():
                setattr(membership, field, value)
        record(actor, "user.updated", membership, data={"changes": changes})
    return membership


def edit_account(actor, membership: Membership, *, role: str | None = None, is_inspector: bool | None = None,
                 inspector_cert: str | None = None, request=None, **details) -> Membership:
    """The account page's one write: details (``update_account``), then the role (``change_role``) and
    the inspector flag (``set_inspector``) when they differ — one transaction, each part with its own
    guard and event; a refused part leaves nothing changed."""
    with transaction.atomic():
        if details:
            update_account(actor, membership, **details)
        if role is not None and role != membership.role:
            change_role(actor, membership, role, request=request)
        cert_changed = inspector_cert is not None and inspector_cert != membership.inspector_cert
        if is_inspector is not None and (is_inspector != membership.is_inspector or cert_changed):
            set_inspector(actor, membership, is_inspector=is_inspector, cert=inspector_cert)
    return membership


def _set_active(actor, membership: Membership, *, active: bool, reason: str, request=None) -> Membership:
    action = rules.Action.REACTIVATE if active else rules.Action.DEACTIVATE
    _refuse(rules.account_refusal(actor, membership, action))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写理由。", "reason")
    if len(reason) > 200:
        raise ServiceError("理由不能超过200个字符。", "reason")
    if active and not membership.organisation.is_active:
        raise ServiceError("该账户所在单位已停用，不能启用其账户。", "reason")
    user = membership.user
    old, new = ("inactive", "active") if active else ("active", "inactive")
    with transaction.atomic():
        if User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active) != 1:
            raise ServiceError("该账户已启用。" if active else "该账户已停用。", None, code="conflict")
        user.is_active = active
        if not active:
            from knox.models import AuthToken

            AuthToken.objects.filter(user_id=user.pk).delete()  # its API tokens stop working at once
        record(actor, "user.reactivated" if active else "user.deactivated", membership, from_state=old, to_state=new,
               note=reason)
        log_security(SecurityLog.Kind.ACCOUNT_REACTIVATED if active else SecurityLog.Kind.ACCOUNT_DEACTIVATED,
                     request=request, user=actor, target=user.username, reason=reason)
    clear_scope(user)
    return membership


def deactivate_user(actor, membership: Membership, *, reason: str, request=None) -> Membership:
    """停用: the account can no longer log in (its sessions end at the next request, its API tokens
    are revoked); it is never deleted — events, signatures and decisions keep naming the person.
    ``actor`` must manage the account and may not deactivate its own. A reason is required. One
    ``user.deactivated`` event (active → inactive, the reason as note) and a security-log row."""
    return _set_active(actor, membership, active=False, reason=reason, request=request)


def reactivate_user(actor, membership: Membership, *, reason: str, request=None) -> Membership:
    """启用 a deactivated account again (its organisation must be active). One ``user.reactivated``
    event (inactive → active, the reason as note) and a security-log row."""
    return _set_active(actor, membership, active=True, reason=reason, request=request)


def reset_password(actor, membership: Membership, *, password: str, request=None) -> Membership:
    """Set a new password on someone else's account (its holder forgot it): the password passes the
    validators; the holder's sessions end (Django's session hash) and its API tokens are revoked
    (``core.api_auth``). ``actor`` must manage the account; one's own password is changed on the
    修改密码 page. The holder must change it before anything else (``must_change_password``,
    ``accounts.password_change``). One ``user.password_reset`` event (without the password) and a
    security-log row."""
    _refuse(rules.account_refusal(actor, membership, rules.Action.RESET_PASSWORD), "password")
    if not password:
        raise ServiceError("请填写新密码。", "password")
    user = membership.user
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])  # pre_save revokes the API tokens (core.api_auth)
        Membership.objects.filter(pk=membership.pk).update(must_change_password=True)
        membership.must_change_password = True
        record(actor, "user.password_reset", membership, data={"must_change_password": True})
        log_security(SecurityLog.Kind.PASSWORD_RESET, request=request, user=actor, target=user.username)
    return membership


def change_own_password(user, *, password: str, request=None):
    """修改密码: the holder sets a new password (the page has checked the current one). It passes the
    validators and differs from the current one (after a reset: the one the administrator knows); a
    pending forced change (``must_change_password``) ends. The user's API tokens are revoked; the
    page keeps its own session (``update_session_auth_hash``). One ``user.password_changed`` event
    (on the account; ``forced`` says whether a reset required it) and a security-log row."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise NotPermitted()
    if not password:
        raise ServiceError("请填写新密码。", "new_password1")
    if user.check_password(password):
        raise ServiceError("新密码不能与当前密码相同。", "new_password1")
    try:
        _check_password(password, user)
    except ServiceError as exc:
        raise ServiceError(exc.message, "new_password1") from None
    membership = getattr(user, "membership", None)
    forced = bool(membership is not None and membership.must_change_password)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])  # pre_save revokes the API tokens (core.api_auth)
        if membership is not None:
            Membership.objects.filter(pk=membership.pk).update(must_change_password=False)
            membership.must_change_password = False
        record(user, "user.password_changed", membership or user, data={"forced": forced})
        log_security(SecurityLog.Kind.PASSWORD_CHANGED, request=request, user=user)
    return user


def set_identity_revealer(actor, user, *, allowed: bool, request=None):
    """Designate (or stop designating) a person who may reveal a whistle-blower's identity
    (举报人身份, 举报奖励办法 — kept confidential; only designated persons, every reveal logged).
    ``actor`` must manage the person's account (``account_rules``, action ``revealer``; None = system:
    demo data) and may not designate itself; a person without a unit is managed by superusers only."""
    _refuse(rules.user_refusal(actor, user, rules.Action.REVEALER), "user")

    perm = Permission.objects.get(content_type__app_label="tips", codename="reveal_identity")
    had = user.user_permissions.filter(pk=perm.pk).exists()
    if had == allowed:
        return user
    membership = getattr(user, "membership", None)
    if allowed and (membership is None or not membership.organisation.is_government):
        raise ServiceError("只有政府部门的人员可以被指定查看举报人身份。", "user")
    with transaction.atomic():
        (user.user_permissions.add if allowed else user.user_permissions.remove)(perm)
        record(actor, "user.revealer_set", membership or user, from_state=str(had), to_state=str(allowed))
        log_security(SecurityLog.Kind.ROLE_CHANGED, request=request, user=actor, target=user.username,
                     old="revealer" if had else "", new="revealer" if allowed else "")
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def _revealer_permission():
    return Permission.objects.get(content_type__app_label="tips", codename="reveal_identity")


def check_privileges(actor, user, *, permissions=()) -> None:
    """The checks of ``set_privileges``: an active superuser (or a system job), never on its own
    account (``account_rules.privileges_refusal``); the identity permission only for whom
    ``set_identity_revealer`` may designate. ServiceError; the Django admin's user form runs it first."""
    _refuse(rules.privileges_refusal(actor, user), "is_superuser")
    wants = _revealer_permission().pk in {p.pk for p in permissions}
    if wants != user.user_permissions.filter(pk=_revealer_permission().pk).exists():
        _refuse(rules.user_refusal(actor, user, rules.Action.REVEALER), "user_permissions")
        membership = getattr(user, "membership", None)
        if wants and (membership is None or not membership.organisation.is_government):
            raise ServiceError("只有政府部门的人员可以被指定查看举报人身份。", "user_permissions")


def set_privileges(actor, user, *, is_staff: bool, is_superuser: bool, groups=(), permissions=(), request=None):
    """An account's Django-admin privileges — 职员 (the admin opens), 超级用户 (every account, every
    unit), groups and permissions (e.g. rule tables, backdating) — as the admin's user page sets
    them. Checked by ``check_privileges``. The whistle-blower identity permission among
    ``permissions`` is designated by ``set_identity_revealer`` (its own rule and ``user.revealer_set``
    event). One ``user.privileges_changed`` event (on the account: its membership, else the user) with
    each changed part old → new, and a security-log row, when anything else changed."""
    revealer = _revealer_permission()
    wanted = {p.pk for p in permissions}
    reveal = revealer.pk in wanted
    wanted.discard(revealer.pk)
    had_groups = set(user.groups.values_list("pk", flat=True))
    had_perms = set(user.user_permissions.exclude(pk=revealer.pk).values_list("pk", flat=True))
    new_groups = {g.pk for g in groups}
    changes = {flag: [getattr(user, flag), value] for flag, value in (("is_staff", is_staff), ("is_superuser", is_superuser))
               if getattr(user, flag) != value}
    if had_groups != new_groups:
        changes["groups"] = [_names(Group, had_groups), _names(Group, new_groups)]
    if had_perms != wanted:
        changes["permissions"] = [_names(Permission, had_perms), _names(Permission, wanted)]
    if not changes and reveal == user.user_permissions.filter(pk=revealer.pk).exists():
        return user  # nothing to change (and nothing refused: a superuser saving its own page as it was)
    check_privileges(actor, user, permissions=permissions)
    old_state, new_state = _privilege(user.is_superuser, user.is_staff), _privilege(is_superuser, is_staff)
    with transaction.atomic():
        if changes:
            flags = {flag: changes[flag][1] for flag in ("is_staff", "is_superuser") if flag in changes}
            if flags:
                User.objects.filter(pk=user.pk).update(**flags)
                for flag, value in flags.items():
                    setattr(user, flag, value)
            if "groups" in changes:
                user.groups.set(new_groups)
            if "permissions" in changes:
                user.user_permissions.remove(*(had_perms - wanted))
                user.user_permissions.add(*(wanted - had_perms))
            membership = getattr(user, "membership", None)
            record(actor, "user.privileges_changed", membership or user, from_state=old_state,
                   to_state=new_state, data={"changes": changes})
            log_security(SecurityLog.Kind.ROLE_CHANGED, request=request, user=actor, target=user.username,
                         old=old_state, new=new_state)
        set_identity_revealer(actor, user, allowed=reveal, request=request)  # nothing when unchanged
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    clear_scope(user)
    return user


def _names(model, pks) -> list[str]:
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    return sorted(model.objects.filter(pk__in=pks).values_list("name", flat=True))


def _privilege(is_superuser: bool, is_staff: bool) -> str:
    """The state a privileges event names: superuser, staff or nothing."""
    return "superuser" if is_superuser else ("staff" if is_staff else "")
