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

    def show_conflict(self, exc) -> None:
        """Show a refused stale save (core.versioning.StaleEdit) on the form, keeping the input.

        The hidden version moves to the current one, so saving again is a deliberate overwrite
        of what the message showed, never a silent one.
        """
        self.add_error(None, exc.message)
        self.data = self.data.copy()
        self.data["version"] = exc.current_version


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
