"""One filter set for the ledger: the list page, its export and the API use the same one."""

import copy
from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import cached_property

from keyprojects.core.models import Department
from keyprojects.core.widgets import speed_up_widgets
from keyprojects.figures import ledger as figures
from keyprojects.figures import periods
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES, Category, Sector, Status
from keyprojects.ledger.models import Project
from keyprojects.ledger.schedule import Colour

COLOUR_CHOICES = [(c.value, c.label) for c in Colour]
SORTS = [
    ("code", "项目编号"),
    ("name", "项目名称"),
    ("department", "牵头单位"),
    ("total_investment_wan", "总投资"),
    ("annual_plan_wan", "年度计划投资"),
    ("planned_start", "计划开工"),
    ("status", "建设状态"),
]


def year_choices():
    years = Project.objects.live().values_list("year", flat=True).distinct().order_by("-year")
    return [(y, f"{y}年") for y in years]


class ProjectOrdering(django_filters.OrderingFilter):
    """Model fields, plus 序时预警 (red first), which is computed, not stored."""

    COLOUR = "colour"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # django-filter's own choices read "项目编号 (descending)" and fall back to the English
        # field name where a label is keyed differently; every ordering is named here instead.
        self.extra["choices"] = [
            *[
                choice
                for param, label in SORTS
                for choice in ((param, f"{label}（升序）"), (f"-{param}", f"{label}（降序）"))
            ],
            (self.COLOUR, "序时预警（红灯在前）"),
            (f"-{self.COLOUR}", "序时预警（绿灯在前）"),
        ]

    def filter(self, qs, value):
        if value and value[0].lstrip("-") == self.COLOUR:
            # In SQL over the period's snapshot when it is closed (figures.order_by_colour).
            return figures.order_by_colour(
                qs, self.parent.period, red_first=not value[0].startswith("-")
            )
        return super().filter(qs, value)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    year = django_filters.TypedChoiceFilter(choices=year_choices, coerce=int, label="年度")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label="牵头单位", empty_label="全部单位"
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label="类别", empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label="状态", empty_label="全部状态"
    )
    sector = django_filters.ChoiceFilter(
        choices=Sector.choices, label="领域", empty_label="全部领域"
    )
    colour = django_filters.ChoiceFilter(
        choices=COLOUR_CHOICES, method="by_colour", label="序时预警", empty_label="全部"
    )
    behind = django_filters.BooleanFilter(
        method="by_behind",
        label="未达序时进度",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    # Imported construction projects whose sheet had no annual plan: the office's list of
    # plans to collect (序时 is not judged until the plan is entered).
    plan_pending = django_filters.BooleanFilter(
        field_name="annual_plan_pending",
        label="年度计划待补充",
        widget=forms.Select(choices=[("", "全部"), ("true", "待补充"), ("false", "已填写")]),
    )
    # Drill-down from the dashboard (一屏): the rows behind each of its numbers.
    construction = django_filters.BooleanFilter(
        method="by_construction",
        label="年度建设项目（续建＋新开工）",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否（储备）")]),
    )
    started = django_filters.BooleanFilter(
        method="by_started",
        label="已开工",
        widget=forms.Select(choices=[("", "全部"), ("true", "已开工"), ("false", "未开工")]),
    )
    reported_month = django_filters.ChoiceFilter(
        choices=[(str(m), f"{m}月") for m in range(1, 13)],
        method="by_reported_month",
        label="当月有已审核投资",
        empty_label="全部",
    )
    # The day colours, 未达序时 and 已开工 are judged on; a report's figure links carry its
    # period's last day so the list shows the same rows the report counted.
    as_of = django_filters.DateFilter(
        method="keep", label="评价日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    o = ProjectOrdering(
        fields=[
            ("code", "code"),
            ("name", "name"),
            ("department__order", "department"),
            ("total_investment_wan", "total_investment_wan"),
            ("annual_plan_wan", "annual_plan_wan"),
            ("planned_start", "planned_start"),
            ("status", "status"),
        ],
        field_labels=dict(SORTS),
        label="排序",
        empty_label="默认排序",
    )

    class Meta:
        model = Project
        fields = ["q", "year", "department", "category", "status", "sector"]

    # The form class is built once per process: its fields follow from the filters declared
    # above. What varies (the years in the ledger) is set on each form instance.
    _form_class = None

    def get_form_class(self):
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            form_class = super().get_form_class()
            speed_up_widgets(form_class.base_fields)  # fourteen widgets on every list page
            cls._form_class = form_class
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            fields = super().form.fields
            # The year list once per request (the declared callable would query at validation
            # and again at each rendering of the select).
            fields["year"].choices = year_choices()
            # The department select shows what `departments` reads, when it is rendered (an
            # export or the map validates the form without it); a chosen department is still
            # checked by the field's queryset (the widget's choices are only markup).
            department = fields["department"]
            department.widget.choices = CallableChoiceIterator(
                lambda: (
                    [("", department.empty_label)]
                    + [(pk, name) for pk, name, _ in self.departments]
                )
            )
        return self._form

    @cached_property
    def departments(self) -> list[tuple[int, str, str]]:
        """(pk, name, short name) of every department in the select's order, read once for the
        select and for the list rows' labels."""
        return list(Department.objects.values_list("pk", "name", "short_name"))

    @cached_property
    def department_labels(self) -> dict[int, str]:
        """{pk: Department.label} (the short name where there is one)."""
        return {pk: short or name for pk, name, short in self.departments}

    def __init__(self, *args, as_of=None, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if period is None:
            day = as_of or timezone.localdate()
            period = periods.Period(day.year, day.month, day, False)
        self.period = period
        self.as_of = period.as_of

    @classmethod
    def from_query(cls, query, queryset, today):
        """The filter as the ledger list reads its query string (the list, its export and the
        API share it): the current plan year when none is given, colours judged on
        figures.periods.default_period of that year. `.params` is the query with the year
        filled in."""
        params = query.copy()
        if "year" not in params or not params["year"]:
            # The office's current plan year, not the largest year in the database.
            params["year"] = str(periods.current_plan_year(today=today))
        try:
            year = int(params["year"])
        except ValueError:
            year = today.year  # the filter itself refuses the value (a 400 naming 年度)
        if not 1 <= year <= 9999:
            # 0, -1, -2022 are no dates; the filter itself refuses them (a 400 naming 年度).
            year = today.year
        try:
            as_of = date.fromisoformat(params.get("as_of", ""))
        except ValueError:
            as_of = None  # absent, or refused by the form (a 400 naming 评价日期)
        if as_of is not None:
            # A report's or the dashboard's figure link: the rows of the period it counted.
            period = periods.month_period(as_of.year, as_of.month, today=today)
        else:
            period = periods.default_period(year, today=today) if 2000 <= year <= 2100 else None
        f = cls(params, queryset=queryset, period=period, as_of=today)
        f.params, f.year = params, year
        return f

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(approval_code__icontains=value)
            | Q(location__icontains=value)
            | Q(town__icontains=value)
            | Q(leader__icontains=value)
            | Q(owner_unit__icontains=value)
        )

    def keep(self, queryset, name, value):
        return queryset  # as_of is the day colours are judged on, not a row filter

    def by_construction(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(category__in=CONSTRUCTION_CATEGORIES)
        return queryset.exclude(category__in=CONSTRUCTION_CATEGORIES)

    def by_started(self, queryset, name, value):
        """Started as the figures count it: an actual start on or before the judging day,
        among the year's construction projects (reserve projects are neither)."""
        if value is None:
            return queryset
        queryset = queryset.filter(category__in=CONSTRUCTION_CATEGORIES)
        started = Q(actual_start__isnull=False, actual_start__lte=self.as_of)
        return queryset.filter(started) if value else queryset.exclude(started)

    def by_reported_month(self, queryset, name, value):
        """Projects with approved investment in that month of the filter's year."""
        from keyprojects.dispatch.models import MonthlyReport

        if not value:
            return queryset
        reports = MonthlyReport.objects.approved().filter(month=int(value))
        year = self.form.cleaned_data.get("year")
        if year:
            reports = reports.filter(year=year)
        reported = reports.values("project_id")
        return queryset.filter(pk__in=reported)

    def by_colour(self, queryset, name, value):
        if not value:
            return queryset
        return figures.filter_colour(queryset, self.period, value)

    def by_behind(self, queryset, name, value):
        if value is None:
            return queryset
        return figures.filter_behind(queryset, self.period, value)


class _DeclaredFilters(dict):
    """A filter set's declared filters, copied one level deep for each filter set.

    django-filter deep-copies them for every request (their choices, the department queryset),
    which cost the ledger list as much as its form. A filter keeps no per-request state but its
    parent and model, which the filter set sets on its own copy, and the binding of its
    `method`, renewed here on the copy (else it would call the declared filter's parent)."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, declared in self.items():
            own = copy.copy(declared)
            if own.method is not None:
                own.method = own.method  # a FilterMethod bound to this copy
            copies[name] = own
        return copies


ProjectFilter.base_filters = _DeclaredFilters(ProjectFilter.base_filters)
