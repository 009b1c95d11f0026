from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "办公室"
    REPORTER = "reporter", "部门填报员"
    LEADER = "leader", "领导"
    # 三员分立 (等保2.0): administrators who never edit business data.
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


BUSINESS_ROLES = (Role.OFFICE, Role.REPORTER, Role.LEADER)
