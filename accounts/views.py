"""Login (with throttles, captcha step and security log), logout, password change, profile, organisation pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core import captcha
from core.forms import Styled
from core.lists import Column, ScopedListView
from core.models import SecurityLog
from core.security import log_security
from core.services import NotPermitted
from core.views import form_status, get_visible_or_404, posted, submit_form

from . import account_rules, services, throttle
from .filters import OrganisationFilter
from .forms import CompetenceForm
from .models import Competence, Organisation

LOGIN_CAPTCHA_SESSION_KEY = "login_captcha"


class ThrottledAuthenticationForm(Styled, AuthenticationForm):
    """Login form with the throttles of ``accounts.throttle``: a captcha field appears (and is
    checked before the password) once the user name or the client address has too many failures;
    a blocked address is refused. A wrong captcha never counts as a password guess."""

    captcha = forms.CharField(label="验证码（请计算图中算式）", max_length=8, required=False)

    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账户已停用。",
        "address_blocked": "该网络地址登录失败次数过多，已暂停受理登录，请稍后再试。",
        "captcha_required": "登录失败次数较多，为保护账户安全，请先填写验证码。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = (self.data.get("username") or "").strip() if self.is_bound else ""
        self.captcha_required = throttle.captcha_required(request, username)

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if throttle.address_blocked(self.request):
            log_security(SecurityLog.Kind.LOCKED_OUT, request=self.request, username=username, scope="address")
            raise forms.ValidationError(self.error_messages["address_blocked"], code="address_blocked")
        self.captcha_required = throttle.captcha_required(self.request, username)
        if self.captcha_required:
            answer = (self.data.get("captcha") or "").strip()
            if not captcha.check(self.request.session, answer, key=LOGIN_CAPTCHA_SESSION_KEY):
                log_security(SecurityLog.Kind.LOGIN_CAPTCHA_FAILED, request=self.request, username=username)
                self.add_error("captcha", "验证码错误，请重新计算图中算式。" if answer else "请填写验证码。")
                raise forms.ValidationError(self.error_messages["captcha_required"], code="captcha_required")
            throttle.mark_captcha_passed(self.request)
        try:
            return super().clean()
        except forms.ValidationError:
            # This failure may have crossed a threshold: show the captcha on the re-rendered form.
            self.captcha_required = throttle.captcha_required(self.request, username)
            reason = getattr(self.request, "_login_throttled", None)
            if reason:
                raise forms.ValidationError(self.error_messages[reason], code=reason)
            raise


# Old name, kept for imports elsewhere.
LockoutAuthenticationForm = ThrottledAuthenticationForm


@login_not_required
def login_captcha(request):
    """The captcha image of the login form (a fresh one-attempt challenge in the session)."""
    question = captcha.new_challenge(request.session, key=LOGIN_CAPTCHA_SESSION_KEY)
    response = HttpResponse(captcha.render_png(question), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        log_security(SecurityLog.Kind.LOGIN, request=self.request, user=form.get_user())
        return response

    def form_invalid(self, form):  # a refused sign-in is a 400 naming the reason (Django's answers 200)
        return self.render_to_response(self.get_context_data(form=form), status=form_status(form))


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        log_security(SecurityLog.Kind.LOGOUT, request=request, user=request.user)
    logout(request)
    return redirect("login")


class StyledPasswordChangeForm(Styled, PasswordChangeForm):
    """Django's form (it checks the current password), styled as every form of the pages."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码 (Django's form checks the current password); the write is ``services.change_own_password``
    (event, security log, the end of a forced change after a reset — ``accounts.password_change``)."""

    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm

    def get_context_data(self, **kwargs):
        from .password_change import PAGE_NOTICE, change_pending

        ctx = super().get_context_data(**kwargs)
        ctx["forced_notice"] = PAGE_NOTICE if change_pending(self.request.user) else ""
        return ctx

    def form_valid(self, form):
        request = self.request

        def change(**data):
            services.change_own_password(request.user, password=data["new_password1"], request=request)
            update_session_auth_hash(request, request.user)  # this session stays signed in

        answered = submit_form(request, form, change, "密码已修改。", self.get_success_url(), forbid=False)
        return answered if answered is not None else self.form_invalid(form)

    def form_invalid(self, form):  # 400 naming the field (Django's answers 200)
        return self.render_to_response(self.get_context_data(form=form), status=form_status(form))

    def get_success_url(self):
        return "/accounts/profile/"


def profile(request):
    membership = getattr(request.user, "membership", None)
    org_visible = membership is not None and Organisation.objects.visible_to(request.user).filter(
        pk=membership.organisation_id).exists()
    return render(request, "accounts/profile.html", {"org_visible": org_visible})


class OrganisationList(ScopedListView):
    """Government units (enterprises have their own registry) in the user's scope."""

    name = "accounts.organisations"
    url_name = "accounts:organisation_list"
    title = "机构"
    model = Organisation
    filterset_class = OrganisationFilter
    template_name = "accounts/organisation_list.html"
    row_template = "accounts/_organisation_row.html"
    select_related = ("region", "department_type")
    ordering = ("region__code", "kind", "name")
    columns = (Column("名称", "name"), Column("类型", "get_kind_display"), Column("部门类型", "department_type"),
               Column("区划", "region.name"))
    empty_text = "暂无机构"
    export_name = "organisations"
    export_url_name = "accounts:organisation_export"

    @classmethod
    def scoped_queryset(cls, user):
        return super().scoped_queryset(user).exclude(kind=Organisation.Kind.ENTERPRISE)


organisation_list = OrganisationList.as_view()
organisation_export = OrganisationList.as_view(mode="export")


def organisation_detail(request, pk: int):
    """Organisation page; the committee office edits a department's competence here
    (管行业必须管安全: department × sector × region, lead or assist)."""
    org = get_visible_or_404(Organisation.objects.select_related("region", "department_type"), request.user, pk=pk)
    can_edit = org.kind == Organisation.Kind.DEPARTMENT and services.can_manage_competence(request.user, org)
    form = CompetenceForm(posted(request))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有安委办可以调整部门监管职责。")
        answered = submit_form(request, form,
                               lambda **data: services.set_competence(request.user, department=org,
                                                                      sector=data["sector"], role=data["role"]),
                               "监管职责已更新。",
                               lambda _: redirect("accounts:organisation_detail", pk=org.pk), forbid=False)
        if answered is not None:
            return answered
    competences = org.competences.select_related("sector", "region").order_by("sector__sort_order")
    members = org.memberships.select_related("user").order_by("user__username")
    return render(request, "accounts/organisation_detail.html", {
        "org": org, "competences": competences, "members": members, "can_edit": can_edit, "form": form,
        "manages_accounts": account_rules.manages_organisation(request.user, org),
    }, status=form_status(form))


@require_POST
def competence_remove(request, pk: int, competence_pk: int):
    org = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)
    competence = get_object_or_404(Competence, pk=competence_pk, department=org)
    try:
        services.remove_competence(request.user, competence)
    except NotPermitted:
        raise PermissionDenied("只有安委办可以调整部门监管职责。")
    messages.success(request, "已删除该项监管职责。")
    return redirect("accounts:organisation_detail", pk=org.pk)
