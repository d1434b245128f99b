"""Who may manage which accounts (create, edit, change the role, set the inspector flag, designate
who may reveal a whistle-blower's identity, deactivate, reactivate, reset the password) and who may
set up which units — the rule every account service checks (docs/accounts.md).

An *account administrator* is an active user whose organisation is active and whose role is

* 单位管理员 or 负责人（审批） in a committee office, department, township office or agency;
* 主要负责人 in an enterprise (安全生产法 art. 21: the principal answers for the unit's safety work,
  its people included).

An account administrator manages the accounts of

1. its own organisation;
2. for a committee office (安委办): every government unit — committee office, department, township
   office — placed in its region or below (the office that already keeps departments' competence,
   ``services.can_manage_competence``, keeps their people too);
3. for any government unit: the login organisation of every enterprise it sees (``Enterprise.objects
   .visible_to``: its region, and for an industry department its sectors — 管行业必须管安全), and
   the enterprise itself before it has one (``services.open_enterprise_account`` creates it).

Superusers manage every account. Nobody else manages any: officers, viewers, safety managers,
staff, experts, users without a unit. On top of the scope, three refusals hold for everyone but
system jobs: no one changes their own role or inspector flag, designates themselves to reveal a
whistle-blower's identity, deactivates themselves or resets their own password here (``修改密码``
is for that); a superuser's or staff account (Django admin) is managed by superusers only; accounts
are never deleted (deactivated instead: the law-kept records name the people who acted).

Units (``services.create_organisation``, ``update_organisation``): a committee office's administrators
set up and edit the government units of its region and below (the units whose people it keeps,
rule 2); superusers and system jobs any unit; nobody else any (``unit_refusal``).

Django-admin privileges (职员, 超级用户, groups, permissions; ``services.set_privileges``): superusers
only, never on their own account (``privilege_refusal``).

``refusal`` is the pure decision (facts in, Chinese reason out, no ORM), exhaustively tested;
``facts_for`` reads the facts from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Membership, Organisation

GOVERNMENT_KINDS = (Organisation.Kind.COMMITTEE, Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWNSHIP)

#: the roles that administer accounts, per kind of organisation
ADMIN_ROLES: dict[str, frozenset] = {
    Organisation.Kind.COMMITTEE: frozenset({Membership.Role.ADMIN, Membership.Role.LEADER}),
    Organisation.Kind.DEPARTMENT: frozenset({Membership.Role.ADMIN, Membership.Role.LEADER}),
    Organisation.Kind.TOWNSHIP: frozenset({Membership.Role.ADMIN, Membership.Role.LEADER}),
    Organisation.Kind.AGENCY: frozenset({Membership.Role.ADMIN, Membership.Role.LEADER}),
    Organisation.Kind.ENTERPRISE: frozenset({Membership.Role.PRINCIPAL}),
}


class Action:
    """What is done to an account (the keys of the refusals)."""

    CREATE = "create"
    EDIT = "edit"
    ROLE = "role"
    INSPECTOR = "inspector"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    RESET_PASSWORD = "reset_password"
    REVEALER = "revealer"  # designate (or stop designating) who may reveal a whistle-blower's identity

    ALL = (CREATE, EDIT, ROLE, INSPECTOR, DEACTIVATE, REACTIVATE, RESET_PASSWORD, REVEALER)


NOT_AN_ADMINISTRATOR = "只有单位管理员、负责人（企业为主要负责人）可以管理账户。"
OUT_OF_SCOPE = "该账户所在单位不在您的账户管理范围内。"
PRIVILEGED = "系统管理员账户只能由系统管理员管理。"
SELF = {
    Action.ROLE: "不能变更自己的角色：请由本单位其他管理人员或上级单位办理。",
    Action.INSPECTOR: "不能设置自己的执法检查人员身份：请由本单位其他管理人员或上级单位办理。",
    Action.DEACTIVATE: "不能停用自己的账户。",
    Action.RESET_PASSWORD: "不能在此重置自己的密码，请使用“修改密码”。",
    Action.REVEALER: "不能指定自己查看举报人身份：请由本单位其他管理人员或上级单位办理。",
}

#: refusals of setting up a unit (``unit_refusal``)
UNIT_NOT_AN_ADMINISTRATOR = "只有安委会办公室的单位管理员、负责人可以设立单位。"
UNIT_OUT_OF_SCOPE = ("只能在本安委会办公室所辖区划内设立安委会办公室、行业部门或乡镇（街道）；"
                     "第三方机构由系统管理员设立，企业的登录单位随其第一个账户开通。")

#: refusals of changing an account's Django-admin privileges (``privilege_refusal``)
PRIVILEGES_NOT_SUPERUSER = "只有系统管理员可以设置后台权限（职员状态、超级用户状态、用户组和权限）。"
PRIVILEGES_SELF = "不能变更自己的后台权限：请由其他系统管理员办理。"


@dataclass(frozen=True)
class Facts:
    """What the decision needs to know about an actor and an account (or the unit of a new one)."""

    system: bool = False  # actor None: demo data, loaders, benchmarks
    superuser: bool = False  # the actor is an active superuser
    administrator: bool = False  # the actor is an account administrator (see the module docstring)
    in_scope: bool = False  # the account's organisation is one the actor manages
    own_account: bool = False  # the account is the actor's own
    privileged_target: bool = False  # the account is a superuser's or a staff (Django admin) account


def refusal(facts: Facts, action: str) -> str:
    """Why the actor may not do ``action`` to the account ("" when it may). Pure."""
    if action not in Action.ALL:
        raise ValueError(action)
    if facts.system:
        return ""
    if not facts.superuser:
        if not facts.administrator:
            return NOT_AN_ADMINISTRATOR
        if not facts.in_scope:
            return OUT_OF_SCOPE
        if facts.privileged_target:
            return PRIVILEGED
    if facts.own_account and action in SELF:
        return SELF[action]
    return ""


def unit_refusal(facts: Facts) -> str:
    """Why the actor may not set up a unit ("" when it may). Pure. ``facts.administrator``: the actor
    administers a committee office; ``facts.in_scope``: the new unit is one it would manage — a
    government unit (committee office, department, township office) in its region or below (rule 2).
    Agencies and enterprises' login units are outside every office's scope: a superuser sets up an
    agency; an enterprise's login unit is opened with its first account (``open_enterprise_account``)."""
    if facts.system or facts.superuser:
        return ""
    if not facts.administrator:
        return UNIT_NOT_AN_ADMINISTRATOR
    if not facts.in_scope:
        return UNIT_OUT_OF_SCOPE
    return ""


def privilege_refusal(facts: Facts) -> str:
    """Why the actor may not change an account's Django-admin privileges — 职员, 超级用户, groups,
    permissions ("" when it may). Pure. They make a privileged account, which superusers alone
    manage, so superusers alone grant or withdraw them; never on their own account (no one raises
    their own rights or locks themselves out, as with the role)."""
    if facts.system:
        return ""
    if not facts.superuser:
        return PRIVILEGES_NOT_SUPERUSER
    if facts.own_account:
        return PRIVILEGES_SELF
    return ""


# ---------------------------------------------------------------- reading the facts


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def administrator_membership(user) -> Membership | None:
    """The user's membership when it makes the user an account administrator, else None."""
    if not _active(user):
        return None
    membership = getattr(user, "membership", None)
    if membership is None or not membership.organisation.is_active:
        return None
    return membership if membership.role in ADMIN_ROLES.get(membership.organisation.kind, ()) else None


def may_manage_accounts(user) -> bool:
    """Whether the user manages any account at all (the menu entry, the list page)."""
    return _active(user) and (user.is_superuser or administrator_membership(user) is not None)


def manageable_organisations(user):
    """The organisations whose accounts ``user`` manages (a queryset; none for non-administrators)."""
    from django.db.models import Q

    if not _active(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    membership = administrator_membership(user)
    if membership is None:
        return Organisation.objects.none()
    org = membership.organisation
    q = Q(pk=org.pk)
    if org.kind == Organisation.Kind.COMMITTEE:
        q |= Q(kind__in=GOVERNMENT_KINDS, **{f"{org.region.level}_code": org.region.code})
    if org.kind in GOVERNMENT_KINDS:
        from enterprises.models import Enterprise

        q |= Q(kind=Organisation.Kind.ENTERPRISE, enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
    return Organisation.objects.filter(q)


def manageable_memberships(user):
    """The accounts (memberships) ``user`` manages."""
    return Membership.objects.filter(organisation__in=manageable_organisations(user).values("pk"))


def manages_organisation(user, org: Organisation) -> bool:
    if _active(user) and user.is_superuser:
        return True
    return manageable_organisations(user).filter(pk=org.pk).exists()


def manages_enterprise(user, ent) -> bool:
    """Whether ``user`` manages the accounts of enterprise ``ent`` — also before it has a login
    organisation (a government administrator who sees it; its own principal)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    membership = administrator_membership(user)
    if membership is None:
        return False
    if membership.organisation.kind == Organisation.Kind.ENTERPRISE:
        return ent.organisation_id is not None and ent.organisation_id == membership.organisation_id
    if membership.organisation.kind not in GOVERNMENT_KINDS:
        return False
    from enterprises.models import Enterprise

    return Enterprise.objects.visible_to(user).filter(pk=ent.pk).exists()


def facts_for(actor, *, organisation: Organisation | None, account=None) -> Facts:
    """The facts about ``actor`` and ``account`` (a user, None for a new account in ``organisation``).
    An account without a unit (``organisation`` None) is in no administrator's scope."""
    if actor is None:
        return Facts(system=True)
    superuser = _active(actor) and actor.is_superuser
    administrator = superuser or administrator_membership(actor) is not None
    return Facts(
        superuser=superuser,
        administrator=administrator,
        in_scope=administrator and organisation is not None and manages_organisation(actor, organisation),
        own_account=account is not None and account.pk == actor.pk,
        privileged_target=account is not None and (account.is_superuser or account.is_staff),
    )


def account_refusal(actor, membership: Membership, action: str) -> str:
    """Why ``actor`` may not do ``action`` to the account of ``membership`` ("" when it may)."""
    return refusal(facts_for(actor, organisation=membership.organisation, account=membership.user), action)


def user_refusal(actor, user, action: str) -> str:
    """Why ``actor`` may not do ``action`` to ``user``'s account, which may have no unit ("" when it may)."""
    membership = getattr(user, "membership", None)
    organisation = membership.organisation if membership is not None else None
    return refusal(facts_for(actor, organisation=organisation, account=user), action)


def privileges_refusal(actor, user) -> str:
    """Why ``actor`` may not change ``user``'s Django-admin privileges ("" when it may)."""
    return privilege_refusal(facts_for(actor, organisation=None, account=user))


def unit_facts(actor, *, kind: str, region) -> Facts:
    """The facts about ``actor`` setting up a unit of ``kind`` at ``region``."""
    if actor is None:
        return Facts(system=True)
    if _active(actor) and actor.is_superuser:
        return Facts(superuser=True, administrator=True, in_scope=True)
    membership = administrator_membership(actor)
    office = membership.organisation if membership is not None else None
    if office is None or office.kind != Organisation.Kind.COMMITTEE:
        return Facts()
    in_region = office.region.code in region.path.split("/")
    return Facts(administrator=True, in_scope=kind in GOVERNMENT_KINDS and in_region)


def organisation_refusal(actor, *, kind: str, region) -> str:
    """Why ``actor`` may not set up a unit of ``kind`` at ``region`` ("" when it may)."""
    return unit_refusal(unit_facts(actor, kind=kind, region=region))


def creation_refusal(actor, organisation: Organisation) -> str:
    """Why ``actor`` may not create an account in ``organisation`` ("" when it may)."""
    return refusal(facts_for(actor, organisation=organisation), Action.CREATE)


def valid_roles(org: Organisation) -> set:
    """The roles a member of ``org`` may hold."""
    if org.kind == Organisation.Kind.ENTERPRISE:
        return set(Membership.ENTERPRISE_ROLES)
    return set(Membership.GOVERNMENT_ROLES) | {Membership.Role.EXPERT}


def role_refusal(org: Organisation, role: str) -> str:
    """Why ``role`` does not fit ``org`` ("" when it does) — in words, never the code."""
    if role in valid_roles(org):
        return ""
    label = dict(Membership.Role.choices).get(role)
    if label is None:
        return "请选择有效的角色。"
    return f"“{label}”不适用于{org.get_kind_display()}，请选择该类单位的角色。"
