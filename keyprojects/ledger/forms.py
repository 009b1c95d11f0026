from decimal import Decimal

from django import forms

from keyprojects import geo
from keyprojects.core import permissions as core_permissions
from keyprojects.core.forms import VERSION_MISSING, DateInput, VersionedFormMixin
from keyprojects.ledger import permissions
from keyprojects.ledger.choices import ChangeKind
from keyprojects.ledger.models import Milestone, Project

DATE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")


class MonthlyPlanWidget(forms.MultiWidget):
    template_name = "ledger/widgets/monthly_plan.html"

    def __init__(self):
        attrs = {"step": "0.01", "min": "0", "inputmode": "decimal"}
        super().__init__([forms.NumberInput(attrs=attrs) for _ in range(12)])

    def decompress(self, value):
        return list(value) if value else [None] * 12


class MonthlyPlanField(forms.MultiValueField):
    """Twelve monthly amounts (万元); all blank = no plan of its own, a blank month = 0."""

    widget = MonthlyPlanWidget

    def __init__(self, **kwargs):
        # JSONField.formfield() passes its encoder/decoder; a plan of its own is never required.
        for key in ("encoder", "decoder", "required", "max_length"):
            kwargs.pop(key, None)
        fields = [
            forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False)
            for _ in range(12)
        ]
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(v in (None, "") for v in data_list):
            return []
        cent = Decimal("0.01")
        return [str((v if v is not None else Decimal(0)).quantize(cent)) for v in data_list]


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    # The system the latitude/longitude typed here are in; GCJ-02 (高德, 腾讯) is converted to
    # WGS-84 before saving, and the project records the system it came from (coord_system).
    coord_input = forms.ChoiceField(
        label="所填坐标的坐标系",
        choices=list(geo.SYSTEMS.items()),
        initial=geo.WGS84,
        required=False,
        help_text="从高德、腾讯地图取得的坐标请选GCJ-02，系统自动换算；在下方地图上点选则为WGS-84",
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "code",
            "approval_code",
            "year",
            "department",
            "responsible_units",
            "leader",
            "owner_unit",
            "contact_person",
            "contact_phone",
            "category",
            "sector",
            "nature",
            "content",
            "town",
            "location",
            "latitude",
            "longitude",
            "total_investment_wan",
            "completed_before_year_wan",
            "annual_plan_wan",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "status",
            "funding_route",
            "funding_note",
            "image_progress",
            "notes",
            "monthly_plan",
        ]
        field_classes = {"monthly_plan": MonthlyPlanField}
        widgets = {
            **{f: DateInput() for f in DATE_FIELDS},
            "content": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].queryset = permissions.departments_for_edit(user)
        self.fields["department"].empty_label = "请选择单位"
        if core_permissions.is_reporter(user):
            self.fields["department"].initial = user.department_id
        for name in ("total_investment_wan", "completed_before_year_wan", "annual_plan_wan"):
            self.fields[name].widget.attrs.update(
                {"step": "0.01", "min": "0", "inputmode": "decimal"}
            )
        self.add_version_field()

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip()

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        # Compared with the stored point (not form.changed_data, which would compare every
        # field, hostile decimals included): an unmoved point is neither converted again
        # nor relabelled.
        moved = (lat, lng) != (self.instance.latitude, self.instance.longitude)
        if lat is not None and lng is not None and moved:
            system = data.get("coord_input") or geo.WGS84
            lat, lng = geo.to_storage(lat, lng, system)
            data["latitude"], data["longitude"] = lat, lng
            self.instance.latitude, self.instance.longitude = lat, lng
            self.instance.coord_system = system
        elif lat is None and lng is None and moved:
            self.instance.coord_system = geo.WGS84
        return data


class MilestoneForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["phase", "name", "planned_date", "actual_date", "note"]
        widgets = {"planned_date": DateInput(), "actual_date": DateInput()}
        help_texts = {"name": "留空则使用节点类型名称"}

    def __init__(self, *args, locked_date: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        if locked_date:
            # A baselined node's date moves only through a proposal the office decides.
            self.fields["planned_date"].disabled = True
            self.fields["planned_date"].help_text = "已列入基准计划，调整日期请在项目页“申请调整”"
        self.add_version_field()

    def clean(self):
        data = super().clean()
        if not data.get("name") and data.get("phase"):
            from keyprojects.ledger.choices import Phase

            data["name"] = Phase(data["phase"]).label
            self.instance.name = data["name"]
        return data


class ChangeProposalForm(forms.Form):
    """A department's request to move or delete a baselined node."""

    kind = forms.ChoiceField(label="申请类型", choices=ChangeKind.choices)
    new_date = forms.DateField(
        label="调整后日期",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "调整后日期格式不正确"},
    )
    reason = forms.CharField(
        label="申请理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写申请理由"},
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ChangeKind.MOVE and not data.get("new_date"):
            self.add_error("new_date", "调整日期的申请须填写调整后日期")
        return data


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果", choices=[("approve", "同意"), ("refuse", "不同意")]
    )
    comment = forms.CharField(label="审核意见", max_length=500, required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
    )
