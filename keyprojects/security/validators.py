"""Password policy (身份鉴别): character classes and no reuse of the last N passwords.

Length (≥ 8), common passwords and similarity to the user name are Django's own validators
(settings.AUTH_PASSWORD_VALIDATORS); Django's messages are translated to Chinese by zh-hans.
"""

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = [
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c in string.digits),
    ("特殊符号", lambda c: not c.isalnum() and not c.isspace()),
]


def character_classes(password: str) -> int:
    return sum(1 for _, test in CLASSES if any(test(c) for c in password))


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case, lower-case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊符号中的至少 {self.min_classes} 类",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、特殊符号中的至少 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """Refuses the current and the previous `count` - 1 passwords; records each new password.

    `password_changed` is called by Django after every set_password() + save(), so the
    history and the password date are kept however the password was set.
    """

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None or self.count == 0:
            return
        from keyprojects.security.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
        for encoded in recent[: self.count]:
            if check_password(password, encoded):
                raise ValidationError(
                    f"不能使用最近 {self.count} 次用过的密码", code="password_reused"
                )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from keyprojects.security.models import PasswordHistory, PasswordState

        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
        keep = list(
            PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
                : max(self.count, 1)
            ]
        )
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        PasswordState.objects.update_or_create(
            user=user, defaults={"changed_at": now, "must_change": False}
        )

    def get_help_text(self):
        return f"不能使用最近 {self.count} 次用过的密码。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message (Django 5.2's zh-hans lacks the new wording)."""

    def get_error_message(self):
        return f"密码太短：至少应有 {self.min_length} 个字符"

    def get_help_text(self):
        return f"密码至少应有 {self.min_length} 个字符。"
