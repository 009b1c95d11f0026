from django import forms
from django.contrib.auth import password_validation

from keyprojects import dates
from keyprojects.core.choices import BUSINESS_ROLES, Role
from keyprojects.core.models import Department, User
from keyprojects.security.choices import EventType, Result


class NewPasswordMixin(forms.Form):
    """Two password fields checked against the password policy for `self.account`."""

    password1 = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认新密码", strip=False, widget=forms.PasswordInput)

    def clean_password2(self):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError("两次输入的密码不一致")
        if p2:
            try:
                password_validation.validate_password(p2, self.account_for_validation())
            except forms.ValidationError as exc:
                raise forms.ValidationError([f"新密码：{m}" for m in exc.messages]) from None
        return p2


class AccountCreateForm(NewPasswordMixin, forms.ModelForm):
    role = forms.ChoiceField(
        label="角色", choices=[(r.value, r.label) for r in BUSINESS_ROLES], initial=Role.REPORTER
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "department", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["full_name"].required = True

    def account_for_validation(self):
        return User(
            username=self.cleaned_data.get("username", ""),
            full_name=self.cleaned_data.get("full_name", ""),
        )

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.REPORTER and not data.get("department"):
            self.add_error("department", "部门填报员必须选择所属单位")
        return data


class PasswordResetForm(NewPasswordMixin):
    def __init__(self, account, *args, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def account_for_validation(self):
        return self.account


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    department = forms.ModelChoiceField(
        label="所属单位", queryset=Department.objects.filter(is_active=True), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.REPORTER and not data.get("department"):
            self.add_error("department", "部门填报员必须选择所属单位")
        return data


class TypedDateField(forms.Field):
    """A day as people type it (dates.parse_date: 2026年11月30日, 2026-11-30, 2026/11/30,
    2026.11.30, 20261130); a value it cannot read is a form error saying which forms it wants."""

    widget = forms.TextInput(attrs={"placeholder": "2026年11月30日"})

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return dates.parse_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value):
        return dates.cn_date(value) if hasattr(value, "year") else value


class AuditFilterForm(forms.Form):
    date_from = TypedDateField(label="开始日期", required=False)
    date_to = TypedDateField(label="结束日期", required=False)
    username = forms.CharField(label="用户名", required=False, max_length=150)
    event = forms.ChoiceField(
        label="事件类型", required=False, choices=[("", "全部")] + EventType.choices
    )
    result = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部")] + Result.choices
    )
    ip = forms.CharField(label="IP地址", required=False, max_length=45)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data

    def filter(self, qs):
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        data = self.cleaned_data
        if data.get("date_from"):
            qs = qs.filter(
                created_at__gte=timezone.make_aware(datetime.combine(data["date_from"], time()))
            )
        if data.get("date_to"):
            end = datetime.combine(data["date_to"] + timedelta(days=1), time())
            qs = qs.filter(created_at__lt=timezone.make_aware(end))
        if data.get("username"):
            qs = qs.filter(username__icontains=data["username"])
        if data.get("event"):
            qs = qs.filter(event=data["event"])
        if data.get("result"):
            qs = qs.filter(result=data["result"])
        if data.get("ip"):
            qs = qs.filter(ip__startswith=data["ip"])
        return qs


class UnlockForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
