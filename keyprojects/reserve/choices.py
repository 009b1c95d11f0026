from django.db import models


class IntakeSource(models.TextChoices):
    DEPARTMENT = "department", "部门申报"
    INVESTMENT = "investment", "招商引资"
    UPPER = "upper", "上级下达"
    PLANNING = "planning", "规划衍生"
    POLICY = "policy", "政策争取"
    OTHER = "other", "其他"


class ReserveLevel(models.TextChoices):
    COUNTY = "county", "县级储备"
    CITY = "city", "市级储备"
    PROVINCE = "province", "省级储备"
