from django.db import models


class Source(models.TextChoices):
    MONTHLY_REPORT = "monthly_report", "月度调度"
    INSPECTION = "inspection", "督查检查"
    COMPLETION_AUDIT = "completion_audit", "竣工审计"
    LEADER = "leader", "领导批示"
    MEETING = "meeting", "会议交办"


class ProblemType(models.TextChoices):
    LAND = "land", "用地"
    FUNDING = "funding", "资金"
    DEMOLITION = "demolition", "征地拆迁"
    PIPELINES = "pipelines", "杆线管网"
    PROCEDURES = "procedures", "手续"
    QUALITY = "quality", "质量"
    SAFETY = "safety", "安全"
    STOPPAGE = "stoppage", "停工"
    LABOUR = "labour", "用工"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    OPEN = "open", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"
    CLOSED = "closed", "已销号"


UNSETTLED = (Status.OPEN, Status.IN_PROGRESS)


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    SPECIAL = "special", "特事特办"


class Colour(models.TextChoices):
    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    ORANGE = "orange", "橙色"
    RED = "red", "红色"


class ReplyKind(models.TextChoices):
    REPLY = "reply", "办理反馈"
    REVIEW = "review", "复核意见"


class RiskKind(models.TextChoices):
    STOPPED = "stopped", "停工"
    FUNDING = "funding", "资金短缺"
    LABOUR = "labour", "用工不足"
    DEMOLITION = "demolition", "征地拆迁受阻"
    QUALITY = "quality", "质量安全"


class RiskOrigin(models.TextChoices):
    MANUAL = "manual", "人工登记"
    RULE = "rule", "规则识别（月报）"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    CHAT = "chat", "工作群文字"
