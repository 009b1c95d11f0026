from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from keyprojects import dates, months
from keyprojects.core.forms import VERSION_MISSING, DateInput, VersionedFormMixin
from keyprojects.dispatch import permissions, services
from keyprojects.dispatch.models import MonthlyReport, PhaseTemplate
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES, Phase

REPORT_FIELDS = ["invested_wan", "progress_text", "progress_pct", "problems", "next_steps"]


class MonthInput(forms.TextInput):
    input_type = "month"


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """The monthly report: the month's own figures only (year-to-date is derived)."""

    class Meta:
        model = MonthlyReport
        fields = REPORT_FIELDS
        widgets = {
            "problems": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        money = self.fields["invested_wan"]
        money.validators = [
            MinValueValidator(Decimal(0), message="当月完成投资（万元）不能为负数"),
            *[v for v in money.validators if not isinstance(v, MinValueValidator)],
        ]
        money.widget.attrs.update({"step": "0.01", "min": "0", "inputmode": "decimal"})
        pct = self.fields["progress_pct"]
        pct.validators = [
            MinValueValidator(0, message="形象进度百分比应在0至100之间"),
            MaxValueValidator(100, message="形象进度百分比应在0至100之间"),
        ]
        pct.widget.attrs.update({"min": "0", "max": "100"})
        if self.instance.pk is None:
            self.fields["project"] = forms.ModelChoiceField(
                label="项目",
                # Not-started projects stay selectable so that choosing one is refused with
                # the period rule's own words (services.start_errors), as the import says.
                queryset=ledger_permissions.projects_for(user)
                .select_related("department")
                .filter(category__in=CONSTRUCTION_CATEGORIES)
                .order_by("department__order", "code"),
                empty_label="请选择项目",
                error_messages={"invalid_choice": "所选项目不存在或不在您的填报范围内"},
            )
            self.fields["project"].label_from_instance = lambda p: (
                f"{p.code} {p.name}（{p.department.label}）"
            )
            self.fields["period"] = forms.CharField(
                label="报告月份", widget=MonthInput(), help_text="如 2022-03"
            )
            self.order_fields(["project", "period", *REPORT_FIELDS])
        # Sent with the draft in one submit (a phone's reporter should not save first). Not
        # named "photos": that is the report's related photos, which a stale-edit comparison
        # (show_conflict) would read as a field of the report.
        self.fields["photo_files"] = _photo_field(required=False)
        self.add_version_field()

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None:
            return data
        project, period = data.get("project"), data.get("period")
        if not period:
            return data
        try:
            year, month = months.parse_month(period)
        except ValueError as exc:
            self.add_error("period", str(exc))
            return data
        if project is None:
            return data
        if not permissions.can_report_on(self.user, project):
            self.add_error("project", "您不能填报该项目的月报")
            return data
        for message in services.period_errors(project, year, month, today=self.today):
            self.add_error("period", message)
        self.instance.project, self.instance.year, self.instance.month = project, year, month
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (<input type=file multiple>); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


PHOTO_HELP = (
    f"可一次选择多张，JPEG或PNG格式，每张不超过{services.PHOTO_MAX_BYTES // 1048576}MB，"
    f"每份报告最多{services.PHOTO_MAX_PER_REPORT}张；拍摄时间取自照片，"
    "手机允许定位时记录位置"
)


def _photo_field(required: bool) -> MultipleFileField:
    # accept=image/* lets phones offer the camera and the gallery (and convert HEIC to JPEG);
    # the server still takes only JPEG and PNG (services.prepare_photos says which file not).
    return MultipleFileField(
        label="现场照片",
        required=required,
        help_text=PHOTO_HELP,
        widget=MultipleFileInput(attrs={"accept": "image/*", "class": "photo-input"}),
        error_messages={"required": "请选择要上传的照片", "empty": "上传的文件是空的"},
    )


class PhotoForm(forms.Form):
    image = _photo_field(required=True)
    caption = forms.CharField(label="说明", max_length=200, required=False)


def metas_for(files, data) -> list:
    """One services.PhotoMeta per uploaded file, from the browser's notes on the chosen photos
    (static/dispatch/photos.js): photo_times is a JSON list of {"name", "lastModified"} in
    the order the files are sent (an entry counts only when its name is the file's);
    geo_lat/geo_lng/geo_acc the position it gave. Anything unreadable counts as not given:
    a photo is never refused for what the phone could not say."""
    import json

    try:
        listed = json.loads(data.get("photo_times") or "[]")
    except ValueError:
        listed = []
    if not isinstance(listed, list):
        listed = []
    place = {
        "latitude": data.get("geo_lat") or None,
        "longitude": data.get("geo_lng") or None,
        "accuracy": data.get("geo_acc") or None,
    }
    metas = []
    for i, upload in enumerate(files):
        item = listed[i] if i < len(listed) and isinstance(listed[i], dict) else {}
        ms = item.get("lastModified") if item.get("name") == upload.name else None
        if isinstance(ms, bool) or not isinstance(ms, int | float):
            ms = None
        metas.append(services.PhotoMeta(last_modified_ms=ms, **place))
    return metas


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="退回意见",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "退回时请填写退回意见"},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
    )


class PhaseTemplateForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PhaseTemplate
        fields = [name for _, name in PhaseTemplate.GAP_FIELDS] + ["note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for _, name in PhaseTemplate.GAP_FIELDS:
            self.fields[name].widget.attrs.update({"min": "0", "max": "3650"})
            self.fields[name].validators.append(
                MaxValueValidator(3650, message="单个阶段不能超过3650天")
            )
        self.add_version_field()


ANCHORS = [(Phase.ACCEPTANCE.value, "目标竣工验收日期"), (Phase.START.value, "目标开工日期")]


class PlanTargetForm(forms.Form):
    anchor = forms.ChoiceField(label="倒排依据", choices=ANCHORS)
    target = forms.DateField(
        label="目标日期", widget=DateInput(), error_messages={"required": "请填写目标日期"}
    )

    def clean_target(self):
        # Counting years of phases back (or forward) from the calendar's ends overflows.
        target = self.cleaned_data["target"]
        if not date(2000, 1, 1) <= target <= date(2100, 12, 31):
            raise forms.ValidationError("目标日期应在2000年至2100年之间")
        return target


class PlanDatesForm(forms.Form):
    """The proposed plan, one date per phase, as the user adjusted it."""

    stamp = forms.CharField(
        widget=forms.HiddenInput,
        required=True,
        error_messages={"required": VERSION_MISSING},
    )
    # The dates the planner confirmed the warnings for; changing a date asks again.
    confirm = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = phases
        for phase in phases:
            self.fields[f"date_{phase}"] = forms.DateField(
                label=Phase(phase).label,
                widget=DateInput(),
                error_messages={"required": f"请填写“{Phase(phase).label}”的计划日期"},
            )

    def clean(self):
        data = super().clean()
        dates = [(p, data.get(f"date_{p}")) for p in self.phases]
        for (a, da), (b, db) in zip(dates, dates[1:], strict=False):
            if da and db and db < da:
                self.add_error(
                    f"date_{b}",
                    f"“{Phase(b).label}”的计划日期不能早于“{Phase(a).label}”",
                )
        return data

    def planned(self) -> list:
        return [(p, self.cleaned_data[f"date_{p}"]) for p in self.phases]

    def confirm_key(self) -> str:
        return ",".join(d.isoformat() for _, d in self.planned())


class MilestonesReachedForm(forms.Form):
    """One optional actual date per open milestone of the report's project."""

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        for m in milestones:
            self.fields[f"ms_{m.pk}"] = forms.DateField(
                label=f"{m.name}（计划{dates.cn_date(m.planned_date)}）",
                required=False,
                widget=DateInput(),
                error_messages={"invalid": f"节点“{m.name}”的日期格式不正确"},
            )

    def reached(self) -> dict:
        return {
            m: self.cleaned_data[f"ms_{m.pk}"]
            for m in self.milestones
            if self.cleaned_data.get(f"ms_{m.pk}")
        }
