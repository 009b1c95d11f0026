from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keyprojects.importer import registry
from keyprojects.importer.columns import field_choices
from keyprojects.importer.models import IGNORE, DepartmentAlias, HeaderSynonym, ImportJob


def _field_groups():
    return [(IGNORE, "（不导入此列）")] + [
        (label, field_choices(kind)) for kind, label in registry.kind_choices()
    ]


class HeaderSynonymForm(forms.ModelForm):
    field = forms.ChoiceField(label="对应栏目", choices=_field_groups)
    kind = forms.ChoiceField(label="表格类型", choices=registry.kind_choices)

    class Meta:
        model = HeaderSynonym
        fields = ["kind", "field", "text", "note"]


@admin.register(HeaderSynonym)
class HeaderSynonymAdmin(SimpleHistoryAdmin):
    form = HeaderSynonymForm
    list_display = ["text", "field", "kind", "note"]
    list_filter = ["kind", "field"]
    search_fields = ["text", "field"]


@admin.register(DepartmentAlias)
class DepartmentAliasAdmin(SimpleHistoryAdmin):
    list_display = ["text", "department", "note"]
    search_fields = ["text", "department__name"]


@admin.register(ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "kind", "original_name", "state", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
