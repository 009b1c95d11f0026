from decimal import Decimal

from django import forms

from keyprojects.core.forms import DateInput, VersionedFormMixin
from keyprojects.reserve.models import PrepTask, ReserveProfile, Stage


class ProfileForm(VersionedFormMixin, forms.ModelForm):
    total_investment_wan = forms.DecimalField(
        label="估算总投资（万元）", min_value=Decimal(0), max_digits=14, decimal_places=2
    )

    class Meta:
        model = ReserveProfile
        fields = ["source", "level", "stage", "intake_on", "expected_start_year", "person", "notes"]
        widgets = {"intake_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(is_converted=False)
        if self.instance.pk:
            self.fields["total_investment_wan"].initial = self.instance.project.total_investment_wan
        self.add_version_field()


class TaskForm(forms.ModelForm):
    class Meta:
        model = PrepTask
        fields = ["name", "department", "deadline", "note"]
        widgets = {"deadline": DateInput()}


class PromoteForm(forms.Form):
    year = forms.IntegerField(label="列入计划年度", min_value=2000, max_value=2100)
    annual_plan_wan = forms.DecimalField(
        label="年度计划投资（万元）", min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    planned_start = forms.DateField(label="计划开工日期", widget=DateInput(), required=False)
    planned_end = forms.DateField(label="计划竣工日期", widget=DateInput(), required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "计划竣工日期不能早于计划开工日期")
        plan = data.get("annual_plan_wan")
        if self.project is not None and plan is not None and plan > self.project.remaining_wan:
            self.add_error(
                "annual_plan_wan",
                f"年度计划投资不能超过估算总投资 {self.project.remaining_wan} 万元",
            )
        year = data.get("year")
        if self.project is not None and year is not None and year < self.project.year:
            self.add_error("year", f"列入计划年度不能早于储备年度{self.project.year}年")
        return data
