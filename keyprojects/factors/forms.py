"""One model form per factor table; choices narrowed to what the user may enter."""

from django import forms
from django.db import models

from keyprojects.core.forms import DateInput, VersionedFormMixin
from keyprojects.factors import permissions


class FactorForm(VersionedFormMixin, forms.ModelForm):
    """Dates as date inputs, departments and projects from the user's allowed choices, and the
    hidden version for optimistic locking. Model validation (clean) names the field in Chinese."""

    kind: str = ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.add_version_field()
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
        if "department" in self.fields:
            qs = permissions.entering_departments(user, self.kind)
            if self.instance.pk and self.instance.department_id:
                qs = qs | qs.model.objects.filter(pk=self.instance.department_id)
            self.fields["department"].queryset = qs.distinct()
            if qs.count() == 1 and not self.instance.pk:
                self.fields["department"].initial = qs.first().pk
        for name in ("project", "projects"):
            if name in self.fields:
                qs = permissions.projects_to_choose(user, self.kind).select_related("department")
                self.fields[name].queryset = qs.order_by("year", "department__order", "code")
                self.fields[name].label_from_instance = lambda p: f"{p.year}年 {p.name}"


def form_for(model, kind: str, fields):
    meta = type("Meta", (), {"model": model, "fields": list(fields)})
    widgets = {}
    for f in model._meta.get_fields():
        if isinstance(f, models.TextField) and f.name in fields:
            widgets[f.name] = forms.Textarea(attrs={"rows": 3})
        if isinstance(f, models.ManyToManyField) and f.name in fields:
            widgets[f.name] = forms.SelectMultiple(attrs={"size": 10})
    meta.widgets = widgets
    return type(f"{model.__name__}Form", (FactorForm,), {"Meta": meta, "kind": kind})
