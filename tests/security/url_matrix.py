"""Role × URL expectations for the security pages (contract: tests/matrix.py).

Each administrator reaches only their own pages; business roles reach none of them; everyone
logged in may change their own password. (A backup POST inside the runner's transaction is
refused with a message and a redirect; backups land in the test data folder anyway.)
"""

from tests.matrix import ANON, PRINCIPALS, Case


def build(world):
    from keyprojects.security.choices import ApprovalKind
    from keyprojects.security.models import Approval

    users = world.users
    # A password reset of the office account (decided by secadmin) and of the security
    # administrator's own (decided by auditadmin), both requested by sysadmin.
    for name, account in (("office_reset", "office"), ("secadmin_reset", "secadmin")):
        world.extra[name] = Approval.objects.create(
            kind=ApprovalKind.PASSWORD,
            account=users[account],
            password=users[account].password,
            requested_by=users["sysadmin"],
        )


def only(principal: str, status: int = 200) -> dict[str, int]:
    expect = {p: 403 for p in PRINCIPALS}
    expect["anonymous"] = ANON
    expect[principal] = status
    return expect


EVERYONE = {p: 200 for p in PRINCIPALS} | {"anonymous": ANON}
OFFICE = lambda w: [w.users["office"].pk]  # noqa: E731

CASES = [
    Case("security:start", EVERYONE | {p: 302 for p in PRINCIPALS if p != "anonymous"}),
    Case("security:password_change", EVERYONE),
    Case("security:accounts", only("sysadmin")),
    Case("security:account_create", only("sysadmin")),
    Case("security:account_toggle", only("sysadmin", 302), args=OFFICE, method="post"),
    Case("security:account_password", only("sysadmin"), args=OFFICE),
    Case("security:backups", only("sysadmin")),
    Case("security:backups", only("sysadmin", 302), method="post", note="备份失败也跳转并提示"),
    Case("security:roles", only("secadmin")),
    Case("security:role_edit", only("secadmin"), args=OFFICE),
    Case("security:locks", only("secadmin")),
    Case(
        "security:locks",
        only("secadmin", 302),
        method="post",
        data=lambda w: {"username": "office"},
    ),
    Case("security:policy", only("secadmin")),
    Case("security:approvals", only("secadmin") | {"auditadmin": 200}),
    Case(
        "security:approval_decide",
        only("secadmin", 302) | {"auditadmin": 404},
        args=lambda w: [w.office_reset.pk],
        method="post",
        data=lambda w: {"decision": "approve"},
        note="安全管理员审批；审计管理员只审批涉及安全管理员本人的事项",
    ),
    Case(
        "security:approval_decide",
        only("auditadmin", 302) | {"secadmin": 404},
        args=lambda w: [w.secadmin_reset.pk],
        method="post",
        data=lambda w: {"decision": "reject"},
    ),
    Case("security:audit_log", only("auditadmin")),
    Case("security:audit_log", only("auditadmin", 400), query="?date_from=bad"),
    Case("security:audit_export", only("auditadmin"), query="?format=csv"),
    Case("security:audit_export", only("auditadmin"), query="?format=xlsx"),
]
