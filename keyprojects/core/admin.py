from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from keyprojects.core.models import Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "department", "is_active", "is_demo"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("业务角色", {"fields": ("full_name", "role", "department", "phone", "is_demo")}),
    )
