from django import forms

from keyprojects.importer import registry, safety
from keyprojects.importer.reading import FORMATS
from keyprojects.importer.values import CellError, month_of


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="表格类型", choices=registry.kind_choices)
    file = forms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls、.ods")
    year = forms.IntegerField(
        label="计划年度",
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="台账没有“计划年度”列时使用；留空则取标题中的年份（如“2022年重点项目台账”）",
    )
    month = forms.CharField(
        label="调度月份", required=False, max_length=10, help_text="调度表必填，如 2022-03"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["file"].widget.attrs["accept"] = ",".join(FORMATS)
        if user is not None:
            # The list offers only the tables this user may import. A posted kind is still
            # checked against every table, so that clean() refuses another's table by name.
            self.fields["kind"].widget.choices = [
                (kind, label)
                for kind, label in registry.kind_choices()
                if registry.get(kind).can_import(user)
            ]

    def clean_file(self):
        f = self.cleaned_data["file"]
        suffix = "." + f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError("只支持 .xlsx、.xls、.ods 文件")
        if f.size > safety.MAX_BYTES:
            raise forms.ValidationError(
                f"文件大小 {f.size / 1048576:.1f}MB，超过上限 {safety.MAX_BYTES // 1048576}MB"
            )
        # Hostile files (zip bombs, entity attacks, encrypted or renamed files) are refused
        # here, before the file is stored or any parser sees it: a 400 naming the problem.
        try:
            safety.check_workbook(f.read(), f.name)
        except safety.Refused as exc:
            raise forms.ValidationError(str(exc)) from None
        finally:
            f.seek(0)
        return f

    def clean_month(self):
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        try:
            ym = month_of(raw)
        except CellError:
            ym = None
        if ym is None:
            raise forms.ValidationError("月份格式应为 2022-03")
        return ym

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and self.user is not None and not registry.get(kind).can_import(self.user):
            self.add_error("kind", f"您没有导入“{registry.get(kind).label}”的权限")
            return data
        if kind and registry.get(kind).needs_month and not data.get("month"):
            self.add_error("month", f"导入{registry.get(kind).label}时请填写调度月份")
        return data


class MappingForm(forms.Form):
    """The preview's questions: a column for each unknown header, a department for each
    unknown name. Answers are kept (header synonyms, department aliases)."""

    def __init__(self, *args, preview, header_choices, departments, can_map_departments, **kw):
        super().__init__(*args, **kw)
        self.headers, self.names = [], []
        for i, h in enumerate(preview.unknown_headers):
            name = f"h{i}"
            self.fields[name] = forms.ChoiceField(
                label=f"{h['sheet']} {h['column']}列“{h['label']}”",
                choices=header_choices,
                required=False,
            )
            self.headers.append((name, h["text"]))
        if can_map_departments:
            dept_choices = [("", "请选择"), ("create", "（新建此单位）")] + [
                (str(d.pk), d.name) for d in departments
            ]
            for i, d in enumerate(preview.unknown_departments):
                name = f"d{i}"
                self.fields[name] = forms.ChoiceField(
                    label=f"单位“{d['name']}”（{d['rows']}行）",
                    choices=dept_choices,
                    required=False,
                )
                self.names.append((name, d["name"]))

    def answers(self) -> tuple[dict, dict]:
        headers = {text: self.cleaned_data.get(f) for f, text in self.headers}
        names = {text: self.cleaned_data.get(f) for f, text in self.names}
        return headers, names
