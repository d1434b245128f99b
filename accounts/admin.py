from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import Competence, DepartmentType, Membership, Organisation, Sector

User = get_user_model()


@admin.register(Sector)
class SectorAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "parent", "high_risk", "drill_months")


@admin.register(DepartmentType)
class DepartmentTypeAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "comprehensive", "enforcement")


class CompetenceInline(admin.TabularInline):
    model = Competence
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "department_type", "is_active")
    list_filter = ("kind", "department_type")
    search_fields = ("name", "code")
    autocomplete_fields = ["region", "parent"]
    inlines = [CompetenceInline]


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


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, without deletion: accounts are deactivated (is_active off), never deleted
    — events, signatures, acceptances and decisions name the people who acted (docs/accounts.md)."""

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
