from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core.admin import AuditedModelAdmin

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
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "organisation", "role", "is_inspector")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ["user", "organisation"]


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, without deletion: accounts are deactivated (is_active off), never deleted
    — events, signatures, acceptances and decisions name the people who acted (docs/accounts.md)."""

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
