from django.db import models


class EventType(models.TextChoices):
    """What a security audit row (安全审计) records. Other apps pass the value to audit.record()."""

    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    SESSION_EXPIRED = "session_expired", "会话超时"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    ACCOUNT_CREATE = "account_create", "创建账号"
    ACCOUNT_DEACTIVATE = "account_deactivate", "停用账号"
    ACCOUNT_ACTIVATE = "account_activate", "启用账号"
    ROLE_CHANGE = "role_change", "变更角色"
    APPROVAL_REQUEST = "approval_request", "提交待批准事项"
    APPROVAL_GRANT = "approval_grant", "批准"
    APPROVAL_REJECT = "approval_reject", "驳回"
    PERMISSION_DENIED = "permission_denied", "越权访问"
    IMPORT = "import", "数据导入"
    EXPORT = "export", "数据导出"
    REPORT = "report", "生成报告"
    BACKUP = "backup", "数据备份"
    RESTORE = "restore", "数据恢复"
    AUDIT_EXPORT = "audit_export", "导出审计记录"
    AUDIT_PURGE = "audit_purge", "清理审计记录"


class Result(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class ApprovalKind(models.TextChoices):
    """What the system administrator may do only with a second administrator's approval."""

    ACCOUNT = "account", "新建业务账号"
    PASSWORD = "password", "重置密码"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "待批准"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    SUPERSEDED = "superseded", "已被新申请取代"
