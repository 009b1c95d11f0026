from django import forms

from keyprojects.report.models import PART_CHOICES


class WordingForm(forms.Form):
    heading = forms.CharField(label="小标题", max_length=60, required=False)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoteForm(forms.Form):
    part = forms.TypedChoiceField(label="所在部分", choices=PART_CHOICES, coerce=int)
    text = forms.CharField(
        label="段落内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GenerateForm(forms.Form):
    appendix = forms.BooleanField(label="附数字所依据的项目清单", required=False)
