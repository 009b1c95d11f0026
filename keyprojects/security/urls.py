from django.urls import path

from keyprojects.security import views

app_name = "security"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("password/", views.password_change, name="password_change"),
    # 系统管理员
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/toggle/", views.account_toggle, name="account_toggle"),
    path("accounts/<int:pk>/password/", views.account_password, name="account_password"),
    path("backups/", views.backups, name="backups"),
    # 安全管理员
    path("roles/", views.roles, name="roles"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("locks/", views.locks, name="locks"),
    # 安全管理员（审批系统管理员的申请；涉及安全管理员本人的由审计管理员审批）
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("policy/", views.policy, name="policy"),
    # 审计管理员
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_export, name="audit_export"),
]
