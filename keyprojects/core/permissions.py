"""Role predicates every app builds on: which role a user holds, and the administrators' powers.

Each domain app keeps its own `can_*(user, obj)` predicates and `*_for(user)` scoped querysets
in `<app>/permissions.py` (projects in `ledger.permissions`, reports in `dispatch.permissions`,
import jobs in `importer.permissions`); this module imports no domain app.
"""

from keyprojects.core.choices import Role


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def is_office(user) -> bool:
    return _role(user) == Role.OFFICE


def is_reporter(user) -> bool:
    return _role(user) == Role.REPORTER and user.department_id is not None


def is_leader(user) -> bool:
    return _role(user) == Role.LEADER


def can_view_business(user) -> bool:
    """Ledger, dispatch, statistics: the business roles only (administrators see none of it)."""
    return is_office(user) or is_reporter(user) or is_leader(user)


def role_flags(user) -> dict[str, bool]:
    """Role flags for templates; each app adds its own flags (see core.context.site)."""
    return {
        "view_business": can_view_business(user),
        "office": is_office(user),
        "leader": is_leader(user),
        "reporter": is_reporter(user),
    }


# --- Administrators (三员分立; security app) -------------------------------------------------


def is_sysadmin(user) -> bool:
    return _role(user) == Role.SYSADMIN


def is_secadmin(user) -> bool:
    return _role(user) == Role.SECADMIN


def is_auditadmin(user) -> bool:
    return _role(user) == Role.AUDITADMIN


def can_manage_accounts(user) -> bool:
    """Create, deactivate, reset the password of accounts; take backups (系统管理员)."""
    return is_sysadmin(user)


def can_manage_security(user) -> bool:
    """Assign roles, unlock accounts, view the security policy (安全管理员)."""
    return is_secadmin(user)


def can_view_audit(user) -> bool:
    """Search and export the security audit log (审计管理员)."""
    return is_auditadmin(user)


def can_change_role_of(user, target) -> bool:
    # Nobody changes their own role, so no administrator can widen their own powers.
    return is_secadmin(user) and target.pk != user.pk and not target.is_superuser
