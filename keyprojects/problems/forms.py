from django import forms

from keyprojects.core.forms import DateInput, VersionedFormMixin
from keyprojects.problems.choices import ProblemType, RiskKind
from keyprojects.problems.models import Interview, Problem, RiskFlag


class ProblemForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Problem
        fields = [
            "project",
            "source",
            "kind",
            "title",
            "description",
            "urgency",
            "department",
            "coordinating",
            "person",
            "person_email",
            "person_phone",
            "raised_on",
            "deadline",
        ]
        widgets = {"raised_on": DateInput(), "deadline": DateInput()}

    def __init__(self, *args, projects=None, departments=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects
        if departments is not None:
            self.fields["department"].queryset = departments
        if editing:
            # The start level is decided at registration; source, urgency and project stay.
            for name in ("project", "source", "urgency", "raised_on"):
                self.fields[name].disabled = True
        self.fields["deadline"].required = editing
        self.fields["deadline"].help_text = "留空：按起始督办等级的办理期限计算"
        self.add_version_field()

    def clean(self):
        data = super().clean()
        raised, deadline = data.get("raised_on"), data.get("deadline")
        if raised and deadline and deadline < raised:
            self.add_error("deadline", "办理期限不能早于登记日期")
        return data


class ReportProblemForm(forms.Form):
    kind = forms.ChoiceField(label="问题类型", choices=ProblemType.choices)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    files = forms.FileField(
        label="佐证材料",
        required=False,
        help_text="JPG、PNG、PDF、DOCX、XLSX，每个不超过10MB",
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label="复核意见", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["held_on", "host", "attendees", "agreed", "new_deadline"]
        widgets = {"held_on": DateInput(), "new_deadline": DateInput()}

    def clean(self):
        data = super().clean()
        held, new = data.get("held_on"), data.get("new_deadline")
        if held and new and new < held:
            self.add_error("new_deadline", "约定完成期限不能早于约谈日期")
        return data


class RiskForm(forms.ModelForm):
    class Meta:
        model = RiskFlag
        fields = ["kind", "raised_on", "reason", "workers_on_site", "workers_needed"]
        widgets = {"raised_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("kind") == RiskKind.LABOUR:
            for name in ("workers_on_site", "workers_needed"):
                if data.get(name) is None:
                    self.add_error(name, "用工不足须填写在岗和需要的工人数")
        return data


class ClearRiskForm(forms.Form):
    cleared_on = forms.DateField(label="解除（复工）日期", widget=DateInput())


class PeriodForm(forms.Form):
    """The ranking's period: a year and a quarter, or a month."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label="季度", min_value=1, max_value=4, required=False)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12, required=False)

    def clean(self):
        data = super().clean()
        if data.get("quarter") and data.get("month"):
            raise forms.ValidationError("季度和月份只能选一个")
        return data
