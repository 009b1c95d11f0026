"""Who decides the system administrator's requests (三员分立, two-person rule).

The system administrator creates accounts and chooses passwords but cannot make either take
effect alone: the security administrator approves (for the security administrator's own
account, the audit administrator does). Nobody approves a request they made or that concerns
their own account.
"""

from keyprojects.core.choices import Role
from keyprojects.core.permissions import is_auditadmin, is_secadmin
from keyprojects.security.choices import ApprovalStatus


def approver_role(account) -> str:
    return Role.AUDITADMIN if account.role == Role.SECADMIN else Role.SECADMIN


def can_see_approvals(user) -> bool:
    return is_secadmin(user) or is_auditadmin(user)


def can_decide(user, approval) -> bool:
    if not can_see_approvals(user) or approval.status != ApprovalStatus.PENDING:
        return False
    if user.pk in (approval.requested_by_id, approval.account_id):
        return False
    return user.role == approver_role(approval.account)


def approvals_for(user):
    """The requests this administrator decides (pending and decided)."""
    from keyprojects.security.models import Approval

    qs = Approval.objects.select_related("account", "requested_by", "decided_by")
    if is_secadmin(user):
        return qs.exclude(account__role=Role.SECADMIN).exclude(account=user)
    if is_auditadmin(user):
        return qs.filter(account__role=Role.SECADMIN).exclude(account=user)
    return qs.none()
