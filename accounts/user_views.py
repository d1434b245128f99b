"""Account administration pages: the accounts the user manages (one scoped list, core.lists), a new
account, an account's page (details, role, inspector flag, history), 停用 / 启用 and 重置密码.

Who manages which accounts is ``account_rules`` (held again by every service); anything outside it
is a 404, as is every page for a user who manages no account at all.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from core.events import events_for
from core.lists import Column, ScopedListView
from core.querysets import parse_id
from core.views import form_status, get_visible_or_404, posted, submit_form

from . import account_rules, services
from .filters import AccountFilter
from .forms import AccountCreateForm, AccountEditForm, AccountReasonForm, PasswordResetForm
from .models import Membership, Organisation

NOT_FOUND = "不存在或无权查看"


def _require_administrator(user) -> None:
    if not account_rules.may_manage_accounts(user):
        raise Http404(NOT_FOUND)


def _account_or_404(user, pk: int) -> Membership:
    """The account (membership) of user ``pk`` if ``user`` manages it; anything else is a 404."""
    _require_administrator(user)
    try:
        return (account_rules.manageable_memberships(user)
                .select_related("user", "organisation", "organisation__region").get(user_id=pk))
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND)


class UserList(ScopedListView):
    """The accounts of the organisations the user manages (``account_rules.manageable_memberships``)."""

    name = "accounts.users"
    url_name = "accounts:user_list"
    title = "账号管理"
    model = Membership
    filterset_class = AccountFilter
    template_name = "accounts/user_list.html"
    row_template = "accounts/_user_row.html"
    select_related = ("user", "organisation", "organisation__region")
    ordering = ("organisation__kind", "organisation__name", "user__username", "pk")
    columns = (Column("姓名", "user.first_name"), Column("登录名", "user.username"), Column("单位", "organisation.name"),
               Column("角色", "get_role_display"), Column("职务", "title"), Column("手机", "phone"), Column("状态"))
    testid = "user-table"
    empty_text = "没有符合条件的账户。"

    def check_access(self, request) -> None:
        _require_administrator(request.user)

    @classmethod
    def scoped_queryset(cls, user):
        return (account_rules.manageable_memberships(user).select_related(*cls.select_related)
                .order_by(*cls.ordering))


user_list = UserList.as_view()


def _unit_for_new_account(request):
    """(unit, enterprise) chosen by the page's query string: ``?organisation=`` (a unit the user
    manages) or ``?enterprise=`` (an enterprise whose accounts the user manages — with or without
    a login organisation yet); (None, None) when neither is given."""
    from enterprises.models import Enterprise

    raw_org, raw_ent = request.GET.get("organisation", ""), request.GET.get("enterprise", "")
    if raw_ent:
        ent = get_visible_or_404(Enterprise.objects.select_related("organisation"), request.user, pk=raw_ent)
        if not account_rules.manages_enterprise(request.user, ent):
            raise Http404(NOT_FOUND)
        return ent.organisation, ent
    if raw_org:
        org_id = parse_id(raw_org)  # ASCII digits only ("²" was a 500); beyond any id: 404
        if org_id is None:
            raise Http404(NOT_FOUND)
        unit = account_rules.manageable_organisations(request.user).filter(pk=org_id).first()
        if unit is None:
            raise Http404(NOT_FOUND)
        return unit, None
    return None, None


ON_PASSWORD1 = {"password": "password1"}  # a refused password (the service runs the validators): under the first field


def user_create(request):
    """新建账户: in a unit the user manages (chosen, or fixed by ``?organisation=`` / ``?enterprise=``)."""
    _require_administrator(request.user)
    unit, ent = _unit_for_new_account(request)
    fixed = ent is not None
    if fixed and unit is None:
        unit = Organisation(kind=Organisation.Kind.ENTERPRISE, name=ent.name)  # opened with the first account
    form = AccountCreateForm(posted(request), user=request.user, unit=unit, fixed=fixed,
                             initial={"organisation": unit.pk} if unit is not None and unit.pk else None)

    def create(**data):
        if fixed:
            return services.open_enterprise_account(request.user, ent, request=request, **form.service_kwargs())
        return services.create_user(request.user, organisation=data["organisation"], request=request,
                                    **form.service_kwargs())

    answered = submit_form(request, form, create, lambda user: f"已新建账户：{user.first_name or user.username}",
                           lambda user: redirect("accounts:user_detail", pk=user.pk),
                           forbid=False, rename=ON_PASSWORD1)
    if answered is not None:
        return answered
    return render(request, "accounts/user_form.html", {"form": form, "unit": unit, "ent": ent},
                  status=form_status(form))


def user_detail(request, pk: int):
    """An account: its details, role and inspector flag (editable here), its state and history."""
    membership = _account_or_404(request.user, pk)
    own = membership.user_id == request.user.pk
    form = AccountEditForm(posted(request), membership=membership, own=own)
    answered = submit_form(request, form,
                           lambda **_: services.edit_account(request.user, membership, request=request,
                                                             **form.service_kwargs()),
                           "已保存。", lambda _: redirect("accounts:user_detail", pk=pk), forbid=False)
    if answered is not None:
        return answered
    actions = {action: not account_rules.account_refusal(request.user, membership, action)
               for action in (account_rules.Action.DEACTIVATE, account_rules.Action.REACTIVATE,
                              account_rules.Action.RESET_PASSWORD)}
    return render(request, "accounts/user_detail.html", {
        "membership": membership, "account": membership.user, "form": form, "own": own, "actions": actions,
        "events": events_for(membership),  # the whole history, oldest first, as every record's page shows it
    }, status=form_status(form))


ACTIONS = {
    "deactivate": {"action": account_rules.Action.DEACTIVATE, "title": "停用账户", "button": "停用", "danger": True,
                   "form": AccountReasonForm, "done": "已停用账户",
                   "note": "停用后该账户不能再登录，已登录的会话和接口令牌随即失效；账户及其办理记录保留，可随时重新启用。"},
    "reactivate": {"action": account_rules.Action.REACTIVATE, "title": "启用账户", "button": "启用", "danger": False,
                   "form": AccountReasonForm, "done": "已启用账户", "note": "启用后该账户可以重新登录。"},
    "password": {"action": account_rules.Action.RESET_PASSWORD, "title": "重置密码", "button": "重置密码", "danger": True,
                 "form": PasswordResetForm, "done": "已重置密码",
                 "note": "重置后该账户已登录的会话和接口令牌随即失效。请将新密码当面或通过安全渠道告知本人；本人登录后须先修改密码，才能继续使用系统和接口。"},
}


def _account_action(request, pk: int, key: str):
    spec = ACTIONS[key]
    membership = _account_or_404(request.user, pk)
    reason = account_rules.account_refusal(request.user, membership, spec["action"])
    if reason:
        raise PermissionDenied(reason)
    active = membership.user.is_active
    if key != "password" and active == (key == "reactivate"):
        messages.info(request, "该账户已启用。" if active else "该账户已停用。")
        return redirect("accounts:user_detail", pk=pk)
    form = spec["form"](posted(request))

    def act(**data):
        if key == "password":
            return services.reset_password(request.user, membership, password=data["password1"], request=request)
        change = services.reactivate_user if key == "reactivate" else services.deactivate_user
        return change(request.user, membership, reason=data["reason"], request=request)

    answered = submit_form(request, form, act,
                           lambda _: f"{spec['done']}：{membership.user.first_name or membership.user.username}",
                           lambda _: redirect("accounts:user_detail", pk=pk), rename=ON_PASSWORD1)
    if answered is not None:
        return answered
    return render(request, "accounts/user_action.html", {"membership": membership, "account": membership.user,
                                                         "form": form, "spec": spec},
                  status=form_status(form))


def user_deactivate(request, pk: int):
    return _account_action(request, pk, "deactivate")


def user_reactivate(request, pk: int):
    return _account_action(request, pk, "reactivate")


def user_password(request, pk: int):
    return _account_action(request, pk, "password")
