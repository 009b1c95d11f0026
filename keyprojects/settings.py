"""Settings, all from environment variables (see README «配置»).

Bad values stop start-up with a message that names the variable (envconf.ConfigError).
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from keyprojects.envconf import (
    ConfigError,
    env_bool,
    env_decimal,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# Everything the application writes (database, WAL, backups, photos, keys, logs) is for its own
# account only: files 0600, folders 0700, whatever the service manager's umask was.
os.umask(0o077)
DATA_DIR = Path(env_str("KEYPROJECTS_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.geteuid():
    DATA_DIR.chmod(0o700)  # a folder made before this rule (0755) is closed on the next start

SECRET_KEY = env_secret("KEYPROJECTS_SECRET_KEY", DATA_DIR)
DEBUG = env_bool("KEYPROJECTS_DEBUG", False)
HTTPS = env_bool("KEYPROJECTS_HTTPS", False)
ALLOWED_HOSTS = env_list("KEYPROJECTS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_filters",
    "keyprojects.core",
    "keyprojects.ledger",
    "keyprojects.dispatch",
    "keyprojects.importer",
    "keyprojects.security",
    "keyprojects.demo",
    "keyprojects.factors",
    "keyprojects.report",
    "keyprojects.problems",
    "keyprojects.reserve",
    "keyprojects.dashboard",
    "keyprojects.figures",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

# Long work (imports, report generation, reminders) runs outside the request:
# `keyprojects db_worker` beside the web server drains the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "keyprojects.core.session_touch.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "keyprojects.security.middleware.SessionLimitMiddleware",
    "keyprojects.security.middleware.PasswordPolicyMiddleware",
    "keyprojects.security.middleware.AuditDeniedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "keyprojects.core.middleware.NoStoreForUsersMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keyprojects.urls"
WSGI_APPLICATION = "keyprojects.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keyprojects.core.context.site",
            ],
        },
    },
]

# SQLite under the data folder by default; PostgreSQL (or any) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'keyprojects.sqlite3'}",
        conn_max_age=env_int("KEYPROJECTS_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
        ),
    }
elif "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ConfigError("环境变量 DATABASE_URL 无效：只支持 sqlite:// 与 postgresql://")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's MinimumLengthValidator with a Chinese message.
        "NAME": "keyprojects.security.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("KEYPROJECTS_PASSWORD_MIN_LENGTH", 8, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "keyprojects.security.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("KEYPROJECTS_PASSWORD_MIN_CLASSES", 3, minimum=1)},
    },
    {
        "NAME": "keyprojects.security.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": env_int("KEYPROJECTS_PASSWORD_HISTORY", 5, minimum=0)},
    },
]

LOGIN_URL = "login"
# After log-in each role lands on a page it may use: business roles on "home", the three
# administrators (who may not see business pages) on their own first page.
LOGIN_REDIRECT_URL = "security:start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("KEYPROJECTS_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries come from npm (package.json); only their dist folders are served.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [PACKAGE_DIR / "static"] + [
    (prefix, _NODE / sub)
    for prefix, sub in [
        ("vendor/echarts", "echarts/dist"),
        ("vendor/leaflet", "leaflet/dist"),
        ("vendor/leaflet.markercluster", "leaflet.markercluster/dist"),
    ]
    if (_NODE / sub).is_dir()
]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Django's default makes uploads 0644; photos stay readable by the application account only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions: idle timeout refreshed on each request; closing the browser ends them too.
SESSION_COOKIE_AGE = env_int("KEYPROJECTS_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# Not every request: core.session_touch refreshes the idle timeout once a minute instead, so
# pages that only read never wait for SQLite's write lock (a long import holds it).
SESSION_SAVE_EVERY_REQUEST = False
KP_SESSION_TOUCH_SECONDS = env_int("KEYPROJECTS_SESSION_TOUCH_SECONDS", 60, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "keyprojects.security.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str(
    "KEYPROJECTS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("KEYPROJECTS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KEYPROJECTS_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("KEYPROJECTS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KEYPROJECTS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KEYPROJECTS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("KEYPROJECTS_EMAIL_FROM", "keyprojects@localhost")

# Uploads are bounded before anything parses them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KEYPROJECTS_LOG_LEVEL", "WARNING")},
    # The audit chain's head, after each commit that appends to it: a copy outside the
    # database (journald, syslog) that truncating or re-hashing the table cannot reach.
    "loggers": {
        "keyprojects.audit": {"handlers": ["console"], "level": "INFO", "propagate": False}
    },
}

# --- Domain settings (docs/rules.md) ---------------------------------------------------------
# 序时进度 colour thresholds, in percentage points behind the expected share.
# Green: at or ahead of 序时. Yellow: behind by up to RED_POINTS (the published 10–30 rule leaves
# 0–10 undefined; we count it yellow so that every project below 序时 is flagged). Red: more.
KP_SCHEDULE_RED_POINTS = env_decimal("KEYPROJECTS_SCHEDULE_RED_POINTS", Decimal("30"))
# Days a milestone may be overdue before the project turns red (yellow from the first day).
KP_MILESTONE_RED_DAYS = env_int("KEYPROJECTS_MILESTONE_RED_DAYS", 30, minimum=0)
# Months late a planned start may be before the project turns red (yellow from the first month).
KP_LATE_START_RED_MONTHS = env_int("KEYPROJECTS_LATE_START_RED_MONTHS", 3, minimum=1)
# Monthly report deadline: this day of the following month.
KP_REPORT_DEADLINE_DAY = env_int("KEYPROJECTS_REPORT_DEADLINE_DAY", 5, minimum=1)
KP_PAGE_SIZE = env_int("KEYPROJECTS_PAGE_SIZE", 50, minimum=5)
# Factor tables (docs/rules.md §6). Parcel payment (国土资发〔2010〕34号): contract within N
# working days of the sale, 50% within M months of the contract, the rest within K months.
KP_PARCEL_CONTRACT_WORKING_DAYS = env_int("KEYPROJECTS_PARCEL_CONTRACT_WORKING_DAYS", 10, minimum=1)
KP_PARCEL_HALF_MONTHS = env_int("KEYPROJECTS_PARCEL_HALF_MONTHS", 1, minimum=1)
KP_PARCEL_FULL_MONTHS = env_int("KEYPROJECTS_PARCEL_FULL_MONTHS", 12, minimum=1)
# 专项债 use window (months, from the month after issue) and the yellow band (points behind).
KP_BOND_USE_MONTHS = env_int("KEYPROJECTS_BOND_USE_MONTHS", 6, minimum=1)
KP_BOND_YELLOW_POINTS = env_decimal("KEYPROJECTS_BOND_YELLOW_POINTS", Decimal("30"))
# Which department enters which factor table (matched on the department's 简称 or full name);
# the office enters every table, fiscal tasks only the office.
KP_FACTOR_LAND_DEPARTMENTS = env_list("KEYPROJECTS_FACTOR_LAND_DEPARTMENTS", ["规资"])
KP_FACTOR_HOUSING_DEPARTMENTS = env_list("KEYPROJECTS_FACTOR_HOUSING_DEPARTMENTS", ["住建"])
# 开工率 denominator on the KPI page: "construction" (续建 + 新开工, the seed's) or "new" (新开工).
KP_START_RATE_BASIS = env_str("KEYPROJECTS_START_RATE_BASIS", "construction")
if KP_START_RATE_BASIS not in ("construction", "new"):
    raise ConfigError(
        f"环境变量 KEYPROJECTS_START_RATE_BASIS={KP_START_RATE_BASIS!r} 无效："
        "应为 construction 或 new"
    )
# Base-map tiles on this machine ({z}/{x}/{y}.png|jpg|webp), used when the office chooses
# 本机瓦片目录 as the map's base.
KP_TILE_DIR = Path(env_str("KEYPROJECTS_TILE_DIR", str(DATA_DIR / "tiles"))).resolve()
# Automatic project codes follow the office's scheme: prefix per category + year + number
# (ZD2022-001 on the construction plan, CB2022-001 in the reserve). E.g. "ZD,ZD,CB".
_CODE_PREFIXES = env_list("KEYPROJECTS_CODE_PREFIXES", ["ZD", "ZD", "CB"])
if len(_CODE_PREFIXES) != 3 or not all(p.isalnum() for p in _CODE_PREFIXES):
    raise ImproperlyConfigured(
        "KEYPROJECTS_CODE_PREFIXES 应为三个字母数字前缀（续建、新开工、储备），如 ZD,ZD,CB"
    )
KP_CODE_PREFIXES = dict(zip(("continuing", "new", "reserve"), _CODE_PREFIXES, strict=True))

# --- Security baseline (等保2.0 二级; docs/安全说明.md) -----------------------------------------
# 身份鉴别: django-axes locks a user name (known or not) after N failures for M minutes.
AUTHENTICATION_BACKENDS = [
    "keyprojects.security.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KEYPROJECTS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KEYPROJECTS_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by IP as well: county offices share one NAT address, and one colleague's typos must not
# lock out the whole building. Rotating user agents or cookies does not bypass a user-name lock.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked neither count nor extend the lock: it ends 30 minutes after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "keyprojects.security.views.lockout"
AXES_CLIENT_IP_CALLABLE = "keyprojects.security.backends.client_ip"
AXES_VERBOSE = False
# Passwords expire after this many days (0: never); demo accounts are exempt.
KP_PASSWORD_MAX_AGE_DAYS = env_int("KEYPROJECTS_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
# A session ends after SESSION_COOKIE_AGE idle (above) and after this many hours in all.
KP_SESSION_ABSOLUTE_HOURS = env_int("KEYPROJECTS_SESSION_ABSOLUTE_HOURS", 8, minimum=1)
# Audit rows younger than this cannot be purged (at least 180 days, 网络安全法 §21).
KP_AUDIT_RETENTION_DAYS = env_int("KEYPROJECTS_AUDIT_RETENTION_DAYS", 180, minimum=180)
# The integrity key (security/keys.py): HMAC of audit rows and of backup manifests, kept outside
# the database and the archives. The variable wins; else the file, generated 0600 on first use.
KP_INTEGRITY_KEY = env_str("KEYPROJECTS_INTEGRITY_KEY", "")
if KP_INTEGRITY_KEY and len(KP_INTEGRITY_KEY) < 32:
    raise ConfigError("环境变量 KEYPROJECTS_INTEGRITY_KEY 太短：至少 32 个字符")
KP_INTEGRITY_KEY_FILE = DATA_DIR / "integrity.key"
# Head anchors of the audit chain (seq, hash), appended after each commit; `audit verify` checks
# the table against them, so a truncated tail or a re-hashed chain is found.
KP_AUDIT_ANCHOR_FILE = Path(
    env_str("KEYPROJECTS_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchors.log"))
).resolve()
KP_BACKUP_DIR = Path(env_str("KEYPROJECTS_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
KP_PG_BIN_DIR = env_str("KEYPROJECTS_PG_BIN_DIR", "/usr/lib/postgresql/15/bin")

# 安全输出: no inline scripts anywhere (JavaScript comes from static files only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if HTTPS:
    SECURE_HSTS_PRELOAD = env_bool("KEYPROJECTS_HSTS_PRELOAD", True)
