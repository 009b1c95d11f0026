"""Problems until solved (问题督办): the register, the 督办 ladder as data, numbered 督办单,
约谈 records, notices, risk flags on projects, project outcomes for the KPIs and the scoring
scheme of the department ranking."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from keyprojects.core.models import Department, SoftDeletable, Versioned
from keyprojects.problems import rules
from keyprojects.problems.choices import (
    UNSETTLED,
    Colour,
    NoticeChannel,
    ProblemType,
    ReplyKind,
    RiskKind,
    RiskOrigin,
    Source,
    Status,
    Urgency,
)

_EXCLUDED = ["created_at", "updated_at"]


class SupervisionLevel(models.Model):
    """One rung of the 督办 ladder (default 提示/蓝 → 督办/黄 → 约谈·通报/红; the office edits)."""

    rank = models.PositiveSmallIntegerField("等级序号", unique=True, help_text="1为最低")
    name = models.CharField("等级名称", max_length=30)
    colour = models.CharField("颜色", max_length=10, choices=Colour.choices)
    grace_days = models.PositiveSmallIntegerField(
        "逾期容忍天数", default=3, help_text="办理期限过后超过这些天仍未办结即升级"
    )
    reply_days = models.PositiveSmallIntegerField(
        "办理期限（天）",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="本级督办单给出的新办理期限",
    )
    repeats = models.PositiveSmallIntegerField(
        "同级重复次数", default=0, help_text="逾期后可再次发同级督办单的次数，之后升级"
    )
    needs_interview = models.BooleanField("须约谈", default=False)
    signer = models.CharField("签发", max_length=50, help_text="督办单落款，如“县重点项目办”")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "督办等级"
        ordering = ["rank"]

    def __str__(self):
        return f"{self.name}（{self.get_colour_display()}）"

    def as_rule(self) -> rules.Level:
        return rules.Level(
            self.rank, self.name, self.colour, self.grace_days, self.reply_days, self.repeats
        )


class EscalationPolicy(models.Model):
    """Where a problem starts and when yellows become red (one row; defaults published)."""

    urgent_start_rank = models.PositiveSmallIntegerField("紧急事项起始等级", default=2)
    leader_start_rank = models.PositiveSmallIntegerField("领导批示起始等级", default=2)
    special_start_rank = models.PositiveSmallIntegerField("特事特办起始等级", default=3)
    yellows_to_red = models.PositiveSmallIntegerField(
        "连续黄色次数升红", default=2, help_text="连续这么多次黄色督办即升为红色；0为不启用"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "督办升级规则"

    def __str__(self):
        return "督办升级规则"

    @classmethod
    def current(cls) -> "EscalationPolicy":
        return cls.objects.order_by("pk").first() or cls()

    def as_rule(self) -> rules.Policy:
        return rules.Policy(
            self.urgent_start_rank,
            self.leader_start_rank,
            self.special_start_rank,
            self.yellows_to_red,
        )


class ProblemQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def unsettled(self):
        return self.filter(status__in=UNSETTLED)


class Problem(Versioned, SoftDeletable):
    """A problem of a project, followed until the office's 复核 closes it (销号)."""

    project = models.ForeignKey(
        "ledger.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="problems"
    )
    source = models.CharField("问题来源", max_length=20, choices=Source.choices)
    kind = models.CharField("问题类型", max_length=20, choices=ProblemType.choices)
    title = models.CharField("问题摘要", max_length=100)
    description = models.TextField("问题描述")
    urgency = models.CharField(
        "紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    department = models.ForeignKey(
        Department,
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="problems",
    )
    coordinating = models.CharField(
        "配合单位", max_length=200, blank=True, help_text="多个用顿号分隔"
    )
    person = models.CharField("责任人", max_length=50)
    person_email = models.EmailField("责任人邮箱", blank=True)
    person_phone = models.CharField("责任人电话", max_length=30, blank=True)
    raised_on = models.DateField("登记日期")
    deadline = models.DateField("办理期限", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    level = models.ForeignKey(
        SupervisionLevel,
        verbose_name="督办等级",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.ForeignKey(
        "dispatch.MonthlyReport",
        verbose_name="来源月报",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_problems",
    )
    done_on = models.DateField("办结日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    review_note = models.CharField("复核意见", max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=_EXCLUDED)
    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "督办问题"
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="problems_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("raised_on")),
                name="problems_deadline_after_raised",
                violation_error_message="办理期限不能早于登记日期",
            ),
        ]

    def __str__(self):
        return f"{self.project.name}：{self.title}"

    def get_absolute_url(self):
        return reverse("problems:detail", args=[self.pk])

    @property
    def is_settled(self) -> bool:
        return self.status not in UNSETTLED

    def days_overdue(self, as_of) -> int:
        return rules.days_overdue(self.deadline, as_of, not self.is_settled)


def _evidence_path(instance, filename):
    import secrets

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"problems/evidence/{secrets.token_hex(16)}.{ext}"


class Reply(Versioned):
    """One round of replies: the department's feedback, or the office's 复核 opinion."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField("轮次")
    kind = models.CharField("类型", max_length=10, choices=ReplyKind.choices)
    text = models.TextField("内容")
    replied_on = models.DateField("日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填写人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "办理反馈"
        ordering = ["round", "id"]

    def __str__(self):
        return f"第{self.round}轮{self.get_kind_display()}"


class Evidence(models.Model):
    """A file or photo attached to a reply, served only through a permission check."""

    reply = models.ForeignKey(
        Reply, verbose_name="反馈", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=_evidence_path, max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class SupervisionOrder(models.Model):
    """A numbered 督办单 (〔2022〕第001号, numbering per year), issued at every level change."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="orders"
    )
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    level = models.ForeignKey(
        SupervisionLevel, verbose_name="督办等级", on_delete=models.PROTECT, related_name="+"
    )
    colour = models.CharField("颜色", max_length=10, choices=Colour.choices)
    level_name = models.CharField("等级名称", max_length=30)
    issued_on = models.DateField("签发日期")
    deadline = models.DateField("办理期限")
    reason = models.CharField("督办事由", max_length=300)
    to_department = models.CharField("主送单位", max_length=100)
    person = models.CharField("责任人", max_length=50)
    signer = models.CharField("签发", max_length=50)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "督办单"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"],
                name="problems_order_number_per_year",
                violation_error_message="督办单编号重复",
            )
        ]

    def __str__(self):
        return f"{self.level_name}单{self.number}"

    @property
    def number(self) -> str:
        return rules.order_number(self.year, self.seq)


class Interview(Versioned):
    """约谈: who met whom and what was agreed."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="interviews"
    )
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name="督办单",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
    )
    held_on = models.DateField("约谈日期")
    host = models.CharField("约谈人", max_length=100, help_text="如：周副县长（分管）")
    attendees = models.CharField("被约谈人", max_length=200)
    agreed = models.TextField("约定事项")
    new_deadline = models.DateField("约定完成期限", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "约谈记录"
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.held_on} {self.host}约谈{self.attendees}"


class Notice(models.Model):
    """A notice sent (e-mail) or prepared to paste into a work chat."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="notices"
    )
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name="督办单",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    channel = models.CharField("方式", max_length=10, choices=NoticeChannel.choices)
    recipient = models.CharField("接收人", max_length=200)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    sent = models.BooleanField("已发送", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "督办通知"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class RiskFlagQuerySet(models.QuerySet):
    def open_on(self, as_of):
        return self.filter(raised_on__lte=as_of).filter(
            Q(cleared_on__isnull=True) | Q(cleared_on__gt=as_of)
        )


class RiskFlag(Versioned):
    """A risk on a project: 停工 (with 复工 date), 资金短缺, 用工不足, 征地拆迁受阻, 质量安全."""

    project = models.ForeignKey(
        "ledger.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="risk_flags"
    )
    kind = models.CharField("风险类型", max_length=20, choices=RiskKind.choices)
    origin = models.CharField(
        "来源", max_length=10, choices=RiskOrigin.choices, default=RiskOrigin.MANUAL
    )
    raised_on = models.DateField("发生日期", help_text="停工为停工日期")
    reason = models.CharField("原因", max_length=300)
    workers_on_site = models.PositiveIntegerField("在岗工人数", null=True, blank=True)
    workers_needed = models.PositiveIntegerField("需要工人数", null=True, blank=True)
    cleared_on = models.DateField("解除日期", null=True, blank=True, help_text="停工为复工日期")
    report = models.ForeignKey(
        "dispatch.MonthlyReport",
        verbose_name="来源月报",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=_EXCLUDED)
    objects = RiskFlagQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目风险"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=models.F("raised_on")),
                name="problems_risk_cleared_after_raised",
                violation_error_message="解除（复工）日期不能早于发生日期",
            ),
        ]

    def __str__(self):
        return f"{self.project.name}：{self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.cleared_on is None


class ProjectOutcome(Versioned):
    """Facts the KPIs 投产达效率 and 核准落户率 need (both our definitions, docs/rules.md §7)."""

    project = models.OneToOneField(
        "ledger.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="outcome"
    )
    signed_on = models.DateField("签约日期", null=True, blank=True)
    approved_on = models.DateField("核准/备案日期", null=True, blank=True)
    registered_on = models.DateField("落户注册日期", null=True, blank=True)
    plans_to_operate = models.BooleanField("计划投产", default=False)
    operating_on = models.DateField("投产日期", null=True, blank=True)
    design_output_reached = models.BooleanField("达到设计产能", default=False)
    history = HistoricalRecords(excluded_fields=_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "落地与达效"

    def __str__(self):
        return f"{self.project.name}落地与达效"


class ScoringScheme(models.Model):
    """The ranking's scheme as data (indicators, weights, bands, caps, list sizes)."""

    name = models.CharField("方案名称", max_length=100)
    is_active = models.BooleanField("当前使用", default=False)
    rules = models.JSONField("评分规则")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "考核评分方案"
        ordering = ["-is_active", "-id"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from keyprojects.problems.scoring import scheme_errors

        errors = scheme_errors(self.rules)
        if errors:
            raise ValidationError({"rules": errors})

    @classmethod
    def current_rules(cls) -> tuple[str, dict]:
        from keyprojects.problems.scoring import DEFAULT_SCHEME

        active = cls.objects.filter(is_active=True).order_by("-id").first()
        if active is None:
            return "2020年重点工程综合奖（默认）", DEFAULT_SCHEME
        return active.name, active.rules


class EscalationRun(models.Model):
    """One run of the daily escalation (a log: the run itself is idempotent for its date)."""

    as_of = models.DateField("执行日期", unique=True)
    escalated = models.PositiveIntegerField("升级问题数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办升级任务"
        ordering = ["-as_of"]

    def __str__(self):
        return f"{self.as_of} 督办升级"
