from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "keyprojects.security"
    label = "security"
    verbose_name = "安全管理"
