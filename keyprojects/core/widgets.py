"""Form widgets written in Python where Django's template-based ones cost too much per page."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


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
                out.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        text,
                        mark_safe(" selected") if selected else "",
                        label,
                    )
                )
            return out

        return format_html(
            "<select{}>{}</select>", _attrs(final), mark_safe("".join(options(self.choices)))
        )


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


def speed_up_selects(form) -> None:
    """Swap the plain single selects of `form` for FastSelect (same markup and values)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = FastSelect
