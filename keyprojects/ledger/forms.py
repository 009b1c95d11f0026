from decimal import Decimal

from django import forms

from keyprojects import geo
from keyprojects.core import permissions as core_permissions
from keyprojects.core.forms import DateInput, VersionedFormMixin
from keyprojects.ledger import permissions
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.add_version_field()

    def clean(self):
        data = super().clean()
        if not data.get("name") and data.get("phase"):
            from keyprojects.ledger.choices import Phase

            data["name"] = Phase(data["phase"]).label
            self.instance.name = data["name"]
        return data
