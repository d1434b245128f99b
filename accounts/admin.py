"""Django admin for units, sectors, department types, memberships and users (superusers).

Every change of a unit or an account goes through ``accounts.services`` — the account rule, the
event in the same transaction — as it does on the app's pages (docs/accounts.md "The Django
admin"): the admin either calls the service or shows the field read-only with a link to the page
that changes it. One way per change."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters

from core.admin import ReadOnlyAdmin, ReferenceDataAdmin, VersionedRuleAdmin
from core.models import REGION_LEVELS
from core.services import ServiceError, StaleState

from . import services
from .models import Competence, DepartmentType, Membership, Organisation, Sector

User = get_user_model()


def _refusal_on_form(form, exc) -> None:
    """A service's refusal under its field (``core.views.service_error_to_form``), imported when
    needed: the admin loads with the settings (autodiscover) and ``core.views`` registers a list when
    loaded, where a job worker must start with none (jobs/tests/test_migrations.py)."""
    from core.views import service_error_to_form

    service_error_to_form(form, exc)


def _for(request, cls):
    """``cls`` (a form or formset class) bound to the request's user, who is the services' actor."""
    return type(cls.__name__, (cls,), {"actor": request.user})


class SectorForm(forms.ModelForm):
    """A sector's fields, and the 高危行业 flag as this form showed it (``high_risk_seen``, hidden): the
    flag is changed when the box differs from what the user saw, and ``set_sector_high_risk``
    compares-and-sets against that — a form opened before another changed the flag neither reverts
    that change (box left alone) nor overwrites it unseen (box changed: StaleState, shown here)."""

    actor = None
    #: the previous attempt lost the compare-and-set (``SectorAdmin.changeform_view``): refused here
    stale = False
    high_risk_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Sector
        fields = "__all__"
        # shown under the read-only period of an existing sector (SectorAdmin: a versioned rule)
        help_texts = {"drill_months": "应急演练周期是带施行日期的规则（规则表“行业应急演练周期”）：此处只读，"
                                      "请由安委会办公室或指定的管理员在规则表页面修订，新取值自施行日期起适用，"
                                      "此前日期的演练情况仍按原周期判断。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["high_risk_seen"].initial = _seen_value(self.instance.high_risk)
            if self.stale and self.is_bound:  # shown again: the flag as it is now is what the user sees
                self.data = self.data.copy()
                self.data[self.add_prefix("high_risk_seen")] = _seen_value(self.instance.high_risk)

    @property
    def seen_high_risk(self) -> bool:
        """The flag as the form showed it; without the hidden field (a client posting the fields
        alone), as read with this request."""
        return {"1": True, "0": False}.get(self.cleaned_data.get("high_risk_seen"), self.initial.get("high_risk"))

    def flag_changed(self) -> bool:
        return self.instance.pk is not None and bool(self.cleaned_data.get("high_risk")) != self.seen_high_risk

    def clean(self):
        cleaned = super().clean()
        if self.stale:
            self.add_error(None, sector_stale_refusal(self.instance.high_risk))
        elif self.flag_changed():
            try:
                services.check_sector_high_risk(self.actor)
            except ServiceError as exc:
                _refusal_on_form(self, exc)
        return cleaned


def _seen_value(flag: bool) -> str:
    return "1" if flag else "0"


def sector_stale_refusal(now: bool) -> str:
    """The refusal when a sector's 高危行业 changed since its form was shown (``now``: the flag as it is)."""
    return f"该行业的“高危行业”已被他人修改（现为“{'是' if now else '否'}”），本次修改未保存。请核对后重新提交。"


@admin.register(Sector)
class SectorAdmin(VersionedRuleAdmin):
    """Reference data with its change log, never deleted. ``drill_months`` (应急演练周期) is a
    versioned rule (core.ruletables table "sector-drills"): read-only here with a link to its
    revision on the rules page (an effective date, a ``rule.revised`` event); a sector added here
    gets its version 1 from today (``VersionedRuleAdmin``). A change of 高危行业 goes through
    ``services.set_sector_high_risk``: every enterprise of the sector without 人工认定 derives its 高危
    again, with its ``enterprise.updated`` event, and the sector records ``sector.high_risk_changed`` —
    in the admin's transaction, before the row's other fields are saved and logged. The row's own
    save never writes the flag. A flag another changed since the form was shown (the service's
    compare-and-set lost: StaleState) rolls the whole edit back — nothing saved, no change log — and
    shows the form again with the user's input, the refusal at the top, and the flag as it is now."""

    form = SectorForm
    list_display = ("code", "name", "parent", "high_risk", "drill_months")

    def get_form(self, request, obj=None, **kwargs):
        form = _for(request, super().get_form(request, obj, **kwargs))
        form.stale = getattr(request, "_sector_stale", False)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleState:
            # the admin's transaction is rolled back; the same request again, refused on the form
            request._sector_stale = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_row(self, request, obj, form, change):
        if not change:
            return super().save_row(request, obj, form, change)
        if form.flag_changed():
            sector = Sector.objects.get(pk=obj.pk)
            sector.high_risk = form.seen_high_risk  # compare-and-set against what the user saw
            services.set_sector_high_risk(request.user, sector, high_risk=obj.high_risk)
        # neither the flag (its service above) nor the drill period (a revision on the rules page,
        # perhaps applied since this form was read) is written by the row's own save
        super().save_row(request, obj, form, change, update_fields=[
            f.name for f in Sector._meta.concrete_fields if not f.primary_key and f.name not in ("high_risk", *self._table().fields)])
        # for the change log: the flag and the period as they are
        obj.high_risk, obj.drill_months = Sector.objects.values_list("high_risk", "drill_months").get(pk=obj.pk)


@admin.register(DepartmentType)
class DepartmentTypeAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "comprehensive", "enforcement")


# ---------------------------------------------------------------- units


class CompetenceFormSet(BaseInlineFormSet):
    actor = None

    def clean(self):
        super().clean()
        changed = any(form.has_changed() for form in self.forms)
        if changed and self.actor is not None and not services.can_manage_competence(self.actor, self.instance):
            raise forms.ValidationError("只有安委办可以调整部门监管职责。")


class CompetenceInline(admin.TabularInline):
    """A department's competences (region chosen here; the unit's page sets them at its own region).
    Saved by ``services.set_competence`` / ``remove_competence`` (``competence.set`` / ``.removed``)."""

    model = Competence
    formset = CompetenceFormSet
    extra = 0
    autocomplete_fields = ["region"]

    def get_formset(self, request, obj=None, **kwargs):
        return _for(request, super().get_formset(request, obj, **kwargs))


class OrganisationForm(forms.ModelForm):
    actor = None

    class Meta:
        model = Organisation
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        org = self.instance
        adding = org.pk is None
        kind = cleaned.get("kind") if adding else org.kind
        region = cleaned.get("region") if adding else org.region
        if kind and region is not None:
            check = services.check_new_organisation if adding else services.check_organisation
            try:
                check(self.actor, kind=kind, region=region, department_type=cleaned.get("department_type"))
            except ServiceError as exc:
                _refusal_on_form(self, exc)
        if not adding and cleaned.get("parent") is not None and cleaned["parent"].pk == org.pk:
            self.add_error("parent", "上级单位不能是本单位。")
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Units are set up and edited here (the app has no page for it; a unit's page ``/accounts/
    organisations/<id>/`` shows it and sets its competences), but through the services with the
    organisation account rule (``account_rules.organisation_refusal``, refusals under the fields) and
    their events: a new unit is ``services.create_organisation`` (``organisation.created``), an edit
    ``services.update_organisation`` (``organisation.updated``, old → new), a competence
    ``set_competence`` / ``remove_competence``. Kind and region stay once set (its people and records
    are scoped by them); an enterprise's login unit is opened with its first account; a unit is never
    deleted (停用 instead: the events and records name it)."""

    form = OrganisationForm
    list_display = ("name", "kind", "region", "department_type", "is_active")
    list_filter = ("kind", "department_type")
    search_fields = ("name", "code")
    autocomplete_fields = ["region", "parent"]
    inlines = [CompetenceInline]

    def get_form(self, request, obj=None, **kwargs):
        return _for(request, super().get_form(request, obj, **kwargs))

    def get_readonly_fields(self, request, obj=None):
        codes = tuple(f"{level}_code" for level in REGION_LEVELS)
        return codes + (("kind", "region") if obj is not None else ("is_active",))

    def get_inlines(self, request, obj):
        return [CompetenceInline] if obj is not None and obj.kind == Organisation.Kind.DEPARTMENT else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            org = services.update_organisation(
                request.user, Organisation.objects.get(pk=obj.pk),
                **{f: data[f] for f in services.ORGANISATION_FIELDS if f in data})
        else:
            org = services.create_organisation(
                request.user, kind=data["kind"], name=data["name"], region=data["region"],
                department_type=data.get("department_type"), parent=data.get("parent"), code=data.get("code"),
                phone=data.get("phone") or "")
        for field in Organisation._meta.concrete_fields:
            setattr(obj, field.attname, getattr(org, field.attname))
        obj._state.adding, obj._state.db = False, org._state.db

    def save_formset(self, request, form, formset, change):
        if formset.model is not Competence:
            return super().save_formset(request, form, formset, change)
        department = Organisation.objects.get(pk=form.instance.pk)
        deleted = set(formset.deleted_forms)
        # what the admin's history message reads (ModelFormSet.save would set them)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for f in formset.deleted_forms:
            if f.instance.pk:
                services.remove_competence(request.user, Competence.objects.get(pk=f.instance.pk))
                formset.deleted_objects.append(f.instance)
        for f in formset.forms:
            if f in deleted or not f.has_changed() or not f.cleaned_data:
                continue
            data = f.cleaned_data
            if f.instance.pk:
                old = Competence.objects.get(pk=f.instance.pk)
                if (old.sector_id, old.region_id) != (data["sector"].pk, data["region"].pk):
                    services.remove_competence(request.user, old)
            comp = services.set_competence(request.user, department=department, sector=data["sector"],
                                           role=data["role"], region=data["region"])
            if f.instance.pk:
                formset.changed_objects.append((comp, f.changed_data))
            else:
                formset.new_objects.append(comp)


# ---------------------------------------------------------------- accounts


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Read-only: an account (membership) is created, changed (role, inspector flag, details) and
    deactivated on its account page (``/accounts/users/<id>/``), whose services check the account
    rule and write each change's event in the same transaction (docs/accounts.md). An edit saved
    here would change the role with no event."""

    list_display = ("user", "organisation", "role", "is_inspector", "account_page")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")
    readonly_fields = ("account_page",)

    @admin.display(description="账号管理")
    def account_page(self, obj):
        return format_html('<a href="{}">在账号管理页面修改</a>', reverse("accounts:user_detail", args=[obj.user_id]))


class PrivilegesForm(UserChangeForm):
    """The user admin's form: only the Django-admin privileges are editable (``services.set_privileges``,
    checked here first so a refusal shows under its field)."""

    actor = None
    PRIVILEGES = ("is_staff", "is_superuser", "groups", "user_permissions")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and set(self.changed_data) & set(self.PRIVILEGES):
            try:
                services.check_privileges(self.actor, self.instance, permissions=cleaned.get("user_permissions") or ())
            except ServiceError as exc:
                _refusal_on_form(self, exc)
        return cleaned


class AdminPasswordForm(AdminPasswordChangeForm):
    """The admin's password form, without “disable password-based authentication” (no service does
    that: 停用 on the account page closes an account)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True


#: an account without a unit has no membership to carry the forced change (``must_change_password``)
NO_UNIT_PASSWORD = ("该账户不属于任何单位，无法要求其下次登录时修改密码：请由本人在“修改密码”页面修改，"
                    "或在服务器上使用 manage.py changepassword。")


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, consistent with the account pages (docs/accounts.md "The Django admin"):

    * the fields the account services own are read-only, with a link to the account page
      (``/accounts/users/<id>/``) that changes them with their events and the account rule: name and
      e-mail (``update_account``), 启用/停用 (``deactivate_user`` / ``reactivate_user``, with a reason);
      the login name is never changed; no account is added here (新建账户 on the account pages:
      ``create_user`` places it in a unit with a role) nor deleted (accounts are deactivated);
    * a password typed here is a reset (``services.reset_password``): validators, the account rule
      (not one's own: 修改密码), the holder's sessions and tokens end, ``user.password_reset``, and the
      holder must change it at the next login — an administrator knows it;
    * 职员, 超级用户, groups and permissions are saved by ``services.set_privileges`` (superusers only,
      not on their own account; ``user.privileges_changed``; the identity permission through
      ``set_identity_revealer``)."""

    form = PrivilegesForm
    change_password_form = AdminPasswordForm
    readonly_fields = ("username", "account_page", "first_name", "last_name", "email", "is_active", "last_login",
                       "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password", "account_page")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("账户状态", {"fields": ("is_active",)}),
        ("后台权限", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description="账号管理")
    def account_page(self, obj):
        if obj is None or getattr(obj, "membership", None) is None:
            return "该账户不属于任何单位，没有账号管理页面。"
        return format_html('<a href="{}">在账号管理页面修改姓名、邮箱，停用或启用</a>',
                           reverse("accounts:user_detail", args=[obj.pk]))

    def get_form(self, request, obj=None, **kwargs):
        return _for(request, super().get_form(request, obj, **kwargs))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.set_privileges(request.user, User.objects.get(pk=obj.pk), is_staff=data["is_staff"],
                                is_superuser=data["is_superuser"], groups=data["groups"],
                                permissions=data["user_permissions"], request=request)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Groups and permissions were saved by ``set_privileges`` (``save_model``), not ``save_m2m``."""

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("该用户不存在。")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = self.change_password_form(user, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            if "unset-password" in request.POST:
                form.add_error(None, "不能在此停用密码登录：停用账户请在账号管理页面办理。")
            elif self._reset(request, user, form):
                messages.success(request, "密码已重置：该用户下次登录时须先修改密码。")
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"重置密码：{user.get_username()}", "adminForm": admin.helpers.AdminForm(
                form, [(None, {"fields": list(form.fields)})], {}),
            "form_url": form_url, "form": form, "is_popup": False, "add": True, "change": False,
            "has_delete_permission": False, "has_change_permission": True, "has_absolute_url": False,
            "opts": self.opts, "original": user, "save_as": False, "show_save": True,
        }
        request.current_app = self.admin_site.name
        # not Django's page: it offers "disable password-based authentication" whatever the form's fields
        return TemplateResponse(request, "admin/accounts/reset_password.html", context)

    def _reset(self, request, user, form) -> bool:
        membership = getattr(user, "membership", None)
        try:
            if membership is None:
                raise ServiceError(NO_UNIT_PASSWORD, "password1")
            services.reset_password(request.user, membership, password=form.cleaned_data["password1"],
                                    request=request)
        except ServiceError as exc:
            form.add_error("password1" if exc.field in ("password", "password1") else None, exc.message)
            return False
        self.log_change(request, user, "重置密码（该用户下次登录时须修改）")
        return True


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
