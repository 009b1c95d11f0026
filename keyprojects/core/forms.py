from django import forms


class VersionedFormMixin:
    """Adds the hidden `version` a stale save is detected by (core.versioning)."""

    def add_version_field(self):
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            initial=self.instance.version if self.instance.pk else None,
        )

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
