"""Choices of the factor tables (要素保障与市场): land, parcels, housing, fiscal, funding."""

from django.db import models


class BatchStatus(models.TextChoices):
    """农用地转用和土地征收 batch: 组卷 → 上报 → 批复."""

    ASSEMBLING = "assembling", "组卷"
    REPORTED = "reported", "上报"
    APPROVED = "approved", "批复"


class Ownership(models.TextChoices):
    COLLECTIVE = "collective", "集体"
    STATE = "state", "国有"


class LandClass(models.TextChoices):
    """Land classes of an approval letter; 永久基本农田 ⊂ 耕地 ⊂ 农用地."""

    FARMLAND = "farmland", "农用地"
    CULTIVATED = "cultivated", "其中耕地"
    BASIC = "basic", "其中永久基本农田"
    CONSTRUCTION = "construction", "建设用地"
    UNUSED = "unused", "未利用地"


class MajorProjectKind(models.TextChoices):
    """Major projects that may occupy 永久基本农田 (自然资规〔2018〕3号 lists six kinds)."""

    CENTRAL = "central", "党中央、国务院明确支持的重大建设项目"
    MILITARY = "military", "军事国防类"
    TRANSPORT = "transport", "交通类"
    ENERGY = "energy", "能源类"
    WATER = "water", "水利类"
    PROVINCIAL = "provincial", "省级公路网规划的省级高速公路等其他项目"


class FarmlandStage(models.TextChoices):
    SURVEY = "survey", "踏勘论证"
    SUPPLEMENT = "supplement", "补划方案"
    SUBMITTED = "submitted", "报批"
    APPROVED = "approved", "批复"


class QuotaStatus(models.TextChoices):
    FOLLOWING = "following", "跟踪中"
    SECURED = "secured", "已落实"


class ParcelStatus(models.TextChoices):
    PLANNED = "planned", "拟出让"
    LISTED = "listed", "挂牌"
    SOLD = "sold", "成交"
    CONTRACTED = "contracted", "签合同"
    PAID = "paid", "缴款完毕"


class ParcelUse(models.TextChoices):
    RESIDENTIAL = "residential", "住宅用地"
    COMMERCIAL = "commercial", "商服用地"
    MIXED = "mixed", "商住用地"
    INDUSTRIAL = "industrial", "工业用地"
    OTHER = "other", "其他用地"


class Region(models.TextChoices):
    TOWN = "county_town", "县城区"
    TOWNSHIP = "townships", "乡镇"


class FundingSource(models.TextChoices):
    CENTRAL = "central", "中央预算内"
    SPECIAL_BOND = "special_bond", "专项债"
    LOCAL_FISCAL = "local_fiscal", "地方财政"
    BANK_LOAN = "bank_loan", "银行贷款"
    SOCIAL = "social", "社会资本/PPP"
    SELF = "self", "企业自筹"
