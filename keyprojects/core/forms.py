from django import forms


class VersionedFormMixin:
    """Adds the hidden `version` a stale save is detected by (core.versioning)."""

    def add_version_field(self):
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            initial=self.instance.version if self.instance.pk else None,
        )

    def clean(self):
        data = super().clean()
        # An edit without its version would skip the stale-save check and overwrite silently
        # (a hand-made POST, a script, a page from an older release): refuse it.
        if (
            "version" in self.fields
            and self.instance.pk is not None
            and data.get("version") is None
            and not self.has_error("version")
        ):
            self.add_error(None, "表单缺少版本号，未保存：请刷新页面，核对后重新填写并保存")
        return data

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
