import json

from django import forms

from keyprojects import geo
from keyprojects.core.forms import VersionedFormMixin
from keyprojects.dashboard.choices import BoundaryLevel
from keyprojects.dashboard.models import SYSTEM_CHOICES, MapSettings

MAX_BOUNDARY_BYTES = 5 * 1024 * 1024


class BoundaryUploadForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, help_text="例如：某某县界、某某镇界")
    level = forms.ChoiceField(label="层级", choices=BoundaryLevel.choices)
    system = forms.ChoiceField(
        label="文件的坐标系",
        choices=SYSTEM_CHOICES,
        initial=geo.CGCS2000,
        help_text="天地图、自然资源部门提供的一般为CGCS2000；DataV、高德下载的为GCJ-02（自动换算）",
    )
    note = forms.CharField(label="来源说明（含审图号）", max_length=200, required=False)
    file = forms.FileField(label="GeoJSON文件", help_text=".geojson 或 .json，不超过5MB")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BOUNDARY_BYTES:
            raise forms.ValidationError("GeoJSON文件不能超过5MB")
        raw = upload.read()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(
                "文件不是有效的GeoJSON（JSON格式错误或不是UTF-8编码）"
            ) from None
        try:
            geo.check_boundary(data)
        except geo.BoundaryError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.cleaned_data["data"] = data
        return upload

    def clean(self):
        data = super().clean()
        if "data" in self.cleaned_data:
            data["data"] = self.cleaned_data["data"]
        return data


class MapSettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MapSettings
        fields = ["tile_source", "tile_url", "tile_attribution", "max_zoom"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field()
        if not MapSettings.objects.filter(pk=1).exists():
            self.fields["version"].initial = None
