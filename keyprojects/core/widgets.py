"""Form widgets written in Python where Django's template-based ones cost too much per page."""

import html

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_filters.widgets import BaseCSVWidget


class FastSelect(forms.Select):
    """A single <select> with the same markup as forms.Select, written in one pass.

    Django renders each <option> through its own template include; a filter form of a dozen
    selects over thirty departments spends more on that than on its queries. Option groups,
    attributes and the selected value behave as in forms.Select (one value selected)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = {str(v) for v in self.format_value(value)}
        done = [False]  # a single select marks only its first matching option

        def options(choices):
            out = []
            for option_value, label in choices:
                if isinstance(label, list | tuple):
                    out.append(
                        format_html(
                            '<optgroup label="{}">{}</optgroup>',
                            option_value,
                            mark_safe("".join(options(label))),
                        )
                    )
                    continue
                text = "" if option_value is None else str(option_value)
                selected = not done[0] and text in chosen
                done[0] = done[0] or selected
                mark = " selected" if selected else ""
                out.append(f'<option value="{_escape(text)}"{mark}>{_escape(label)}</option>')
            return out

        return format_html(
            "<select{}>{}</select>", _attrs(final), mark_safe("".join(options(self.choices)))
        )


class FastCSVSelect(BaseCSVWidget, FastSelect):
    """django-filter's ordering select (one value: a select; several: a text box), its select
    written by FastSelect."""


class _FastInput:
    """An <input> as Django's input.html writes it, without a template: same value (the
    widget's own format_value) and attributes."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, shown, _attrs(widget["attrs"])
        )


class FastTextInput(_FastInput, forms.TextInput):
    pass


class FastDateInput(_FastInput, forms.DateInput):
    pass


def _escape(value) -> str:
    """conditional_escape for one option (safe text as it is), without the lazy-string wrapper
    Django's escape carries: a form of 150 options calls it 300 times."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """Attributes in the order given, as Django's attrs.html writes them (True: bare name;
    False: left out)."""
    return mark_safe(
        "".join(
            format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v)
            for k, v in attrs.items()
            if v is not False and v is not None
        )
    )


# The widget classes swapped, by exact class (a subclass may render differently).
FAST_WIDGETS = {
    forms.Select: FastSelect,
    forms.TextInput: FastTextInput,
    forms.DateInput: FastDateInput,
}


def speed_up_widgets(fields: dict) -> None:
    """Swap the plain selects, text and date inputs among `fields` (a form's fields, or a form
    class's base_fields) and django-filter's ordering select for the classes above (same
    markup and values, no template per widget)."""
    for field in fields.values():
        kind = type(field.widget)
        fast = FAST_WIDGETS.get(kind)
        if fast is None and kind.__bases__ == (BaseCSVWidget, forms.Select):
            fast = FastCSVSelect
        if fast is not None:
            field.widget.__class__ = fast
