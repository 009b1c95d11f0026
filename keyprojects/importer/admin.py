from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keyprojects.importer.columns import field_choices
from keyprojects.importer.models import HeaderSynonym, ImportJob


class HeaderSynonymForm(forms.ModelForm):
    field = forms.ChoiceField(
        label="对应栏目",
        choices=[("台账", field_choices("ledger")), ("调度表", field_choices("dispatch"))],
    )

    class Meta:
        model = HeaderSynonym
        fields = ["kind", "field", "text", "note"]


@admin.register(HeaderSynonym)
class HeaderSynonymAdmin(SimpleHistoryAdmin):
    form = HeaderSynonymForm
    list_display = ["text", "field", "kind", "note"]
    list_filter = ["kind", "field"]
    search_fields = ["text", "field"]


@admin.register(ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "kind", "original_name", "state", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
