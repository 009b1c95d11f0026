"""The office's wording (ReportTemplate), its free paragraphs (ReportNote) and every report
generated (GeneratedReport, with the figures and wording it used, so it can be rebuilt)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from keyprojects.core.models import Department, Versioned
from keyprojects.report.sections import BY_KEY

PART_CHOICES = [(1, "一、工作开展情况"), (2, "二、存在主要问题"), (3, "三、下一步工作打算")]


class ReportTemplate(Versioned):
    """The wording of one section. Absent rows use the defaults in sections.py (version 0);
    each save bumps `version`, and history keeps every earlier wording."""

    # No `choices`: the sections are code (sections.SECTIONS), and adding one must not need a
    # migration; services refuse a key that is not a section.
    section = models.CharField("段落", max_length=40, unique=True)
    heading = models.CharField(
        "小标题", max_length=60, blank=True, help_text="“（一）”后的小标题；总体段、部门段留空"
    )
    body = models.TextField("正文", help_text="数字一律用 {{ 数字名称 }} 插入，不能直接填写")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "报告段落模板"
        verbose_name_plural = "报告段落模板"
        ordering = ["section"]

    def __str__(self):
        spec = BY_KEY.get(self.section)
        return spec.label if spec else self.section


class ReportNote(Versioned):
    """A paragraph the office adds to one report (one period and scope), kept across
    regenerations and written at the end of its part."""

    year = models.PositiveIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT
    )
    part = models.PositiveSmallIntegerField("所在部分", choices=PART_CHOICES)
    text = models.TextField("段落内容")
    order = models.PositiveIntegerField("顺序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "报告补充段落"
        verbose_name_plural = "报告补充段落"
        ordering = ["part", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__range=(1, 4)),
                name="report_note_quarter_1_4",
                violation_error_message="季度应为1至4",
            )
        ]

    def __str__(self):
        return self.text[:30]


class GeneratedReport(models.Model):
    """One generated report: the figures, wording and notes it used, its text and its file.

    An issued report is the one sent out; rebuilding it from what is stored here gives the
    same text whatever changed in the data or the wording since."""

    year = models.PositiveIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT
    )
    template_versions = models.JSONField("模板版本", default=dict)
    wording = models.JSONField("所用模板", default=dict)
    notes = models.JSONField("补充段落", default=list)
    figures = models.JSONField("所用数字", default=dict)
    text = models.TextField("报告正文")
    dated = models.DateField("成文日期")
    appendix = models.BooleanField("附项目清单", default=False)
    docx = models.BinaryField("Word文件")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="印发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "已生成报告"
        verbose_name_plural = "已生成报告"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__range=(1, 4)),
                name="report_generated_quarter_1_4",
                violation_error_message="季度应为1至4",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0]

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def filename(self) -> str:
        scope = self.department.label if self.department else "全县"
        return f"{self.year}年第{self.quarter}季度重点项目工作报告（{scope}）.docx"
