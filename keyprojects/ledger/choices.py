from django.db import models


class Category(models.TextChoices):
    CONTINUING = "continuing", "续建"
    NEW = "new", "新开工"
    RESERVE = "reserve", "储备"


# Categories on the year's construction plan: the denominator of 开工率 (BRIEF §3).
CONSTRUCTION_CATEGORIES = (Category.CONTINUING, Category.NEW)


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未开工"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    SUSPENDED = "suspended", "停工"
    COMPLETED = "completed", "已竣工"


STARTED_STATUSES = (Status.UNDER_CONSTRUCTION, Status.SUSPENDED, Status.COMPLETED)


class Sector(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", "基础设施"
    INDUSTRY = "industry", "产业发展"
    LIVELIHOOD = "livelihood", "社会民生"
    REAL_ESTATE = "real_estate", "房地产"
    ECOLOGY = "ecology", "生态环保"
    URBAN = "urban", "城市建设"
    OTHER = "other", "其他"


class Nature(models.TextChoices):
    NEW_BUILD = "new_build", "新建"
    EXPANSION = "expansion", "扩建"
    RECONSTRUCTION = "reconstruction", "改建"
    RENOVATION = "renovation", "改造"
    OTHER = "other", "其他"


class FundingRoute(models.TextChoices):
    FISCAL = "fiscal", "财政资金"
    SPECIAL_BOND = "special_bond", "专项债券"
    CENTRAL = "central", "中央预算内资金"
    BANK_LOAN = "bank_loan", "银行贷款"
    SOCIAL = "social", "社会投资"
    PPP = "ppp", "PPP"
    SELF = "self", "企业自筹"
    MIXED = "mixed", "多渠道"


class Phase(models.TextChoices):
    """Standard milestones in order (倒排工期 templates use the same names)."""

    APPROVAL = "approval", "立项"
    LAND_PREVIEW = "land_preview", "用地预审"
    PLANNING_PERMIT = "planning_permit", "规划许可"
    BIDDING = "bidding", "招投标"
    CONSTRUCTION_PERMIT = "construction_permit", "施工许可"
    START = "start", "开工"
    MAIN_WORKS = "main_works", "主体完工"
    ACCEPTANCE = "acceptance", "竣工验收"
    OTHER = "other", "其他节点"


class ChangeKind(models.TextChoices):
    """What a department asks to do with a baselined node (节点调整申请)."""

    MOVE = "move", "调整日期"
    DELETE = "delete", "删除节点"


class ChangeState(models.TextChoices):
    PROPOSED = "proposed", "待审核"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"
