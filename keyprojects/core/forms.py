from dataclasses import dataclass

from django import forms

VERSION_MISSING = "缺少版本信息，无法确认您修改的是最新内容，请刷新页面后重新编辑"


@dataclass(frozen=True)
class Conflict:
    """One field a colleague changed while this editor had the form open."""

    label: str
    mine: str  # 您填写的
    theirs: str  # 对方已改为


def labelled_errors(form) -> list[str]:
    """Each of `form`'s errors with its field's label ("序时预警：选择一个有效的选项。…"), so a
    400 page, a message or a JSON error names the field and not only the value; an error of
    the whole form has no label."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        out += [f"{label}：{e}" if label else str(e) for e in errors]
    return out


class VersionedFormMixin:
    """Adds the hidden `version` a stale save is detected by (core.versioning).

    Editing an existing record requires it: a POST without one is refused (400), so a form
    built by hand, an old page or a script cannot overwrite without saying what it saw.
    """

    conflicts: list[Conflict] = []

    def add_version_field(self):
        existing = self.instance.pk is not None
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=existing,
            initial=self.instance.version if existing else None,
            error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
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

    @property
    def status_code(self) -> int:
        """409 for a refused stale save, 400 for other errors, 200 otherwise."""
        if self.conflicts:
            return 409
        return 400 if self.errors else 200

    def show_conflict(self, exc) -> None:
        """Show a refused stale save (core.versioning.StaleEdit) on the form, keeping the input.

        The hidden version stays the one the user loaded, so pressing 保存 again is refused
        again: a colleague's change is never overwritten by a second click. Each field the
        colleague changed is listed with both values (您填写的 / 对方已改为); taking over the
        colleague's version is an explicit reload of the page.
        """
        from keyprojects.core.history import display_value

        self.add_error(None, exc.message)
        model = type(self.instance)
        current = model._base_manager.get(pk=self.instance.pk)
        base = self.instance.history.filter(version=self.cleaned_data.get("version")).first()
        rows = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            theirs = getattr(current, name)
            if base is not None and getattr(base, name, theirs) == theirs:
                continue  # the colleague did not change this field
            mine = self.cleaned_data.get(name)
            if mine == theirs:
                continue
            rows.append(
                Conflict(
                    str(field.label),
                    display_value(model, name, mine),
                    display_value(model, name, theirs),
                )
            )
        self.conflicts = rows or [Conflict("（记录已被修改）", "—", "—")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
