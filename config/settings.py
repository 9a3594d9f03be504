"""Yunting settings.

Everything a deployment varies comes from the environment; with nothing set, Yunting runs on the embedded
defaults (SQLite, local blobs, in-process jobs and channels) with all state under one data directory.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

# --- the one data directory -------------------------------------------------------------------------------
DATA_DIR = Path(os.environ.get("YUNTING_DATA_DIR", BASE_DIR / "var")).resolve()
KEYS_DIR = DATA_DIR / "keys"
for _d in (DATA_DIR, KEYS_DIR, DATA_DIR / "blobs", DATA_DIR / "tmp", DATA_DIR / "static"):
    _d.mkdir(parents=True, exist_ok=True)


def _key_file(name: str, make) -> str:
    """Read a key kept in the data directory, creating it on first use (0600) so `make run` needs no setup."""
    path = KEYS_DIR / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
    return path.read_text().strip()


def _fernet_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


SECRET_KEY = os.environ.get("YUNTING_SECRET_KEY") or _key_file("secret_key", lambda: secrets.token_urlsafe(50))
DEBUG = os.environ.get("YUNTING_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("YUNTING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("YUNTING_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Field encryption for personal data (ID numbers). Several comma-separated keys allow rotation: the first
# encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = [
    k for k in (os.environ.get("YUNTING_FIELD_KEYS") or _key_file("field_encryption.key", _fernet_key)).split(",") if k
]

# --- apps ----------------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # kernel
    "yunting.kernel.common",
    "yunting.kernel.security",
    "yunting.kernel.blobs",
    "yunting.kernel.search",
    "yunting.kernel.ledger",
    "yunting.kernel.documents",
    "yunting.kernel.notify",
    # core
    "yunting.core.people",
    "yunting.core.cases",
    "yunting.core.journal",
    "yunting.core.efile",
    "yunting.core.papers",
    "yunting.core.clocks",
    "yunting.core.courts",
    "yunting.core.fees",
    "yunting.core.rooms",
    "yunting.core.service",
    "yunting.core.rooms.media",
    "yunting.core.threads",
    # workflows
    "yunting.workflows.filing",
    "yunting.workflows.asynctrial",
    "yunting.workflows.archive",
    "yunting.workflows.mediation",
    "yunting.workflows.hearings",
    "yunting.workflows.transcripts",
    "yunting.workflows.scanning",
    "yunting.workflows.casespace",
    "yunting.workflows.deliveries",
    "yunting.workflows.spacepolls",
    "yunting.workflows.payouts",
    "yunting.workflows.broadcasts",
    "yunting.workflows.sharedcourt",
    "yunting.workflows.witnesses",
    # interfaces
    "yunting.interfaces.web",
    "yunting.interfaces.web.papers",
    "yunting.interfaces.web.fees",
    "yunting.interfaces.web.rooms_media",
    "yunting.interfaces.web.verify",
    "yunting.interfaces.web.filing",
    "yunting.interfaces.web.accounts",
    "yunting.interfaces.web.clocks",
    "yunting.interfaces.web.court",
    "yunting.interfaces.web.rooms",
    "yunting.interfaces.web.service",
    "yunting.interfaces.web.asynctrial",
    "yunting.interfaces.web.archive",
    "yunting.interfaces.web.transcripts",
    "yunting.interfaces.web.hearings",
    "yunting.interfaces.web.casespace",
    "yunting.interfaces.web.mediation",
    "yunting.interfaces.web.scanning",
    "yunting.interfaces.web.spacex",
    "yunting.interfaces.web.sharedcourt",
    "yunting.interfaces.web.witnesses",
    "yunting.interfaces.api",
    "yunting.interfaces.cli",
    "yunting.interfaces.realtime",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # reads (GET, HEAD) keep the user's posts and case access for the rest of the request (kernel/common/memo)
    "yunting.kernel.common.memo.RequestMemoMiddleware",
    "csp.middleware.CSPMiddleware",
    "yunting.interfaces.api.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yunting.interfaces.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yunting.interfaces.web.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last: it turns a locked-out login (web form or API credentials) into the lockout answer
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "people.User"
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR shows as Bootstrap's red alert
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Under ASGI every request's sync code runs in a thread of its own, so a persistent connection per thread
    # (CONN_MAX_AGE > 0) piles up connections with many workers: set YUNTING_DB_CONN_MAX_AGE=0 there, or put
    # PgBouncer in front (docs/DEPLOY.md).
    DATABASES = {"default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("YUNTING_DB_CONN_MAX_AGE", "60")))}
    # YUNTING_DB_POOL=N (PostgreSQL): a psycopg connection pool of at most N connections per process (Django 5.2
    # `OPTIONS["pool"]`): a request borrows one and gives it back when it ends, so the web workers neither
    # connect per request nor pile up a connection per thread. Size it so that web workers × N + job workers
    # + the sequencer stay under PostgreSQL's max_connections (docs/DEPLOY.md). A request that finds all N busy
    # waits up to YUNTING_DB_POOL_TIMEOUT seconds for one.
    if int(os.environ.get("YUNTING_DB_POOL", "0") or 0) > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, int(os.environ["YUNTING_DB_POOL"])), "max_size": int(os.environ["YUNTING_DB_POOL"]),
            "timeout": float(os.environ.get("YUNTING_DB_POOL_TIMEOUT", "60")), "max_idle": 300}
    # YUNTING_DB_PREPARED (default 1, PostgreSQL): the journal's append statement is prepared once per connection
    # (kernel.common.rawsql: planning its six CTEs was half of PostgreSQL's CPU per append). psycopg prepares only
    # what asks for it: the automatic threshold is out of reach, and Django's own cursors never prepare. Set 0
    # behind a pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21).
    YUNTING_DB_PREPARED = os.environ.get("YUNTING_DB_PREPARED", "1") != "0"
    if YUNTING_DB_PREPARED and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "yunting.sqlite3",
            "OPTIONS": {
                # IMMEDIATE: a write transaction takes the write lock at BEGIN, so concurrent writers queue on
                # busy_timeout instead of failing with "database is locked" when a reader upgrades.
                "transaction_mode": "IMMEDIATE",
                "timeout": 60,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA busy_timeout=60000;"
                ),
            },
            # A file, not :memory:, so the concurrency tests can reach it from other processes.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, channels, jobs: embedded by default, Redis when REDIS_URL is set -----------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if os.environ.get("YUNTING_TASKS_IMMEDIATE") == "1":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- blobs: local disk by default, S3-compatible (MinIO, Ceph RGW) by setting ---------------------------------
BLOB_BACKEND = os.environ.get("YUNTING_BLOB_BACKEND", "local")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "blobs": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "blobs"}},
}
if BLOB_BACKEND == "s3":
    STORAGES["blobs"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("YUNTING_S3_BUCKET", "yunting-blobs"),
            "endpoint_url": os.environ.get("YUNTING_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("YUNTING_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("YUNTING_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("YUNTING_S3_REGION", "us-east-1"),
            "file_overwrite": True,  # keys are content hashes: the same key always means the same bytes
            "default_acl": None,
            "querystring_auth": True,
        },
    }
BLOB_TMP_DIR = DATA_DIR / "tmp"
# Outbound calls (webhooks, appeal transfers) to private or loopback addresses, http included: only for a test or a
# closed network of courts (YUNTING_EGRESS_ALLOW_PRIVATE=1).
YUNTING_EGRESS_ALLOW_PRIVATE = os.environ.get("YUNTING_EGRESS_ALLOW_PRIVATE", "") == "1"
UPLOAD_MAX_BYTES = int(os.environ.get("YUNTING_UPLOAD_MAX_MB", "1024")) * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(BLOB_TMP_DIR)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Request bodies that are not file uploads: forms and JSON up to YUNTING_REQUEST_MAX_MB (10 MB), institutions'
# batch bodies (POST /api/v1/filings/batches, JSON lines or ZIP) up to YUNTING_BATCH_MAX_MB (200 MB). Both are
# answered 413 in JSON naming the limit; the batch limit is also published in GET /api/v1/filing/policy.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("YUNTING_REQUEST_MAX_MB", "10")) * 1024 * 1024
BATCH_MAX_BYTES = int(os.environ.get("YUNTING_BATCH_MAX_MB", "200")) * 1024 * 1024
# One line of a batch (one filing record) is at most this long, and its JSON nests at most this deep; a line
# over either is reported on its own, before it is parsed, and its neighbours are filed.
BATCH_MAX_LINE_BYTES = int(os.environ.get("YUNTING_BATCH_MAX_LINE_KB", "1024")) * 1024
BATCH_MAX_JSON_DEPTH = int(os.environ.get("YUNTING_BATCH_MAX_JSON_DEPTH", "32"))

# --- ledger (transparency log) -------------------------------------------------------------------------------
# The signing key may (and in production should) live outside the data directory, e.g. on a separate mount
# only the server process can read: YUNTING_LEDGER_KEY=/etc/yunting/ledger_ed25519.pem. The audit chains of the
# read log are keyed from it, and the anchor file (one line per signed tree head, read by `yunting audit`)
# goes beside it unless YUNTING_LEDGER_ANCHOR names another place.
LEDGER_SIGNING_KEY_PATH = Path(os.environ.get("YUNTING_LEDGER_KEY", KEYS_DIR / "ledger_ed25519.pem"))
LEDGER_ANCHOR_PATH = Path(os.environ.get("YUNTING_LEDGER_ANCHOR",
                                         LEDGER_SIGNING_KEY_PATH.with_name("ledger_anchor.jsonl")))
LEDGER_STH_MAX_AGE_S = int(os.environ.get("YUNTING_LEDGER_STH_MAX_AGE_S", "5"))
# Leaves: "queued" (a sequencer integrates them after commit; no ledger lock in the writer's transaction) or
# "inline" (appended in the writer's transaction). Empty: queued on PostgreSQL, inline on SQLite.
LEDGER_SEQUENCER = os.environ.get("YUNTING_LEDGER_SEQUENCER", "")
LEDGER_MMD_S = float(os.environ.get("YUNTING_LEDGER_MMD_S", "2"))  # maximum merge delay, commit → inclusion

# --- court papers: templates, PKI, signatures -------------------------------------------------------------------
DOCUMENT_TEMPLATES_DIR = Path(os.environ.get("YUNTING_DOCUMENT_TEMPLATES_DIR", DATA_DIR / "document-templates"))
DOCUMENT_PKI_PASSPHRASE = os.environ.get("YUNTING_PKI_PASSPHRASE", "")  # else KEYS_DIR/pki_passphrase (0600)
DOCUMENT_PUBLIC_URL = os.environ.get("YUNTING_PUBLIC_URL", "http://127.0.0.1:8000")  # CRL URLs in certificates
DOCUMENT_TSA_URL = os.environ.get("YUNTING_TSA_URL", "")  # RFC 3161 URL, "internal", or "" for PAdES-B-B

# --- i18n: Simplified Chinese first, English second; stored in UTC, shown in Asia/Shanghai ----------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yunting" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static assets: vendored from the npm registry (package-lock.json), served locally ----------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "assets"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- sign-in throttling (django-axes): per account AND per address ------------------------------------------
# After YUNTING_LOGIN_FAILURE_LIMIT failed sign-ins — web form, API token or institution filing key — the account
# and the address are each locked for YUNTING_LOGIN_LOCKOUT_MINUTES (counted from the last failure); the answer
# says when to retry. `yunting unlock USERNAME|IP` lifts a lock early and records who did it (SecurityEvent).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("YUNTING_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("YUNTING_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: an account, or an address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yunting.interfaces.web.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # unlocking goes through `yunting unlock`, which is recorded
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # behind a proxy: set YUNTING_CLIENT_IP_HEADER
if os.environ.get("YUNTING_CLIENT_IP_HEADER"):
    AXES_IPWARE_META_PRECEDENCE_ORDER = [os.environ["YUNTING_CLIENT_IP_HEADER"], "REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
# --- transport: cookies, HSTS --------------------------------------------------------------------------------
# Cookies are `Secure` (sent over HTTPS only) unless this is local development: by default that is decided from
# YUNTING_PUBLIC_URL — its shipped default http://127.0.0.1:8000 is what `make run` serves, so the demo works
# over plain http, while any deployment, whose public URL is https://…, gets Secure cookies. YUNTING_SECURE_COOKIES
# =1/0 decides explicitly. Behind a TLS-terminating proxy set YUNTING_PROXY_SSL_HEADER=1 (it must send
# X-Forwarded-Proto) so HSTS and https redirects see the request as secure.
def _local_http(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "http" and (parts.hostname or "") in ("127.0.0.1", "localhost", "::1")


_secure_env = os.environ.get("YUNTING_SECURE_COOKIES", "")
SECURE_COOKIES = _secure_env == "1" if _secure_env in ("0", "1") else not _local_http(
    os.environ.get("YUNTING_PUBLIC_URL", "http://127.0.0.1:8000"))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True  # pages carry the CSRF token
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("YUNTING_HSTS_SECONDS", "31536000" if SECURE_COOKIES else "0"))
SECURE_SSL_REDIRECT = os.environ.get("YUNTING_SSL_REDIRECT", "0") == "1"
if os.environ.get("YUNTING_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # the e-file viewer embeds our own PDFs

# --- Content-Security-Policy (django-csp 4): only our own scripts and styles, inline ones only with the nonce
# each response carries ({{ request.csp_nonce }}); no eval, no plugins, no framing by others. Pages declare
# behaviour with data- attributes (assets/yunting/page.js) instead of onclick= and style=.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],  # includes this origin's WebSocket (ws/wss) in CSP Level 3
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# --- sessions end after a while without activity -----------------------------------------------------------
# Court staff: YUNTING_SESSION_IDLE_STAFF_MIN (default 120). Everyone else — parties, lawyers, mediators,
# institutions' people — YUNTING_SESSION_IDLE_OTHERS_MIN (default 240: a party filling the filing form on a phone
# in several sittings; autosave counts as activity). Enforced by web.middleware.SessionIdleMiddleware.
SESSION_IDLE_STAFF_S = int(os.environ.get("YUNTING_SESSION_IDLE_STAFF_MIN", "120")) * 60
SESSION_IDLE_OTHERS_S = int(os.environ.get("YUNTING_SESSION_IDLE_OTHERS_MIN", "240")) * 60
SESSION_COOKIE_AGE = max(SESSION_IDLE_STAFF_S, SESSION_IDLE_OTHERS_S)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "yunting.kernel.common.logfilters.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_forbidden"]}},
    # django.request gets the filter too, so a 403 is one line wherever its records go (tests' caplog included)
    "loggers": {
        "yunting": {"level": os.environ.get("YUNTING_LOG_LEVEL", "INFO")},
        "django.request": {"filters": ["one_line_forbidden"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("YUNTING_LOG_LEVEL", "WARNING")},
}

YUNTING_DEMO_PASSWORD = os.environ.get("YUNTING_DEMO_PASSWORD", "yunting-demo")
# SMS gateway adapter (dotted path to a class with send(phone, text) -> message id). The default is a FAKE that
# only logs the text to the `yunting.sms` logger (the server console), so `make run` works without a gateway.
# Content checks of uploads (kernel.scan): scans under this dpi are refused; images whose short side is under
# this many pixels too (720 lets phone screenshots of chats through, which are common evidence).
YUNTING_MIN_SCAN_DPI = int(os.environ.get("YUNTING_MIN_SCAN_DPI", "150"))
YUNTING_MIN_IMAGE_SHORT_SIDE_PX = int(os.environ.get("YUNTING_MIN_IMAGE_SHORT_SIDE_PX", "720"))
YUNTING_MAX_DOCUMENT_PAGES = int(os.environ.get("YUNTING_MAX_DOCUMENT_PAGES", "500"))
YUNTING_SMS_SENDER = os.environ.get("YUNTING_SMS_SENDER", "yunting.kernel.notify.senders.ConsoleSmsSender")
# The daily deadline digest also goes out by SMS (through the outbox) to staff with a phone when this is 1.
DEADLINE_DIGEST_SMS = os.environ.get("YUNTING_DEADLINE_DIGEST_SMS", "0") == "1"

# --- the one checked intake (core.efile.intake): uploads are stored, answered, then checked in the background in
# sandboxed child processes (kernel.scan.sandbox) under these limits; a check that passes one is refused, naming it.
YUNTING_SCAN_MEMORY_MB = int(os.environ.get("YUNTING_SCAN_MEMORY_MB", "2048"))  # address space of a checker
YUNTING_SCAN_CPU_SECONDS = int(os.environ.get("YUNTING_SCAN_CPU_SECONDS", "60"))  # CPU time per document
YUNTING_SCAN_TIMEOUT_SECONDS = float(os.environ.get("YUNTING_SCAN_TIMEOUT_SECONDS", "120"))  # wall clock per document
YUNTING_SCAN_WORKERS = int(os.environ.get("YUNTING_SCAN_WORKERS", str(min(2, os.cpu_count() or 1))))
YUNTING_SCAN_SANDBOX = os.environ.get("YUNTING_SCAN_SANDBOX", "1") != "0"  # 0: in-process, no limits (debugging)
# storage quotas: what a person's / an institution's accepted and pending uploads may hold
YUNTING_QUOTA_USER_MB = int(os.environ.get("YUNTING_QUOTA_USER_MB", "5120"))
YUNTING_QUOTA_INSTITUTION_MB = int(os.environ.get("YUNTING_QUOTA_INSTITUTION_MB", "204800"))
# institutions' ZIP batches (kernel.scan.safezip), checked against the directory and again while inflating
YUNTING_BATCH_ZIP_MAX_MEMBERS = int(os.environ.get("YUNTING_BATCH_ZIP_MAX_MEMBERS", "200000"))
YUNTING_BATCH_ZIP_MAX_TOTAL_MB = int(os.environ.get("YUNTING_BATCH_ZIP_MAX_TOTAL_MB", "4096"))
YUNTING_BATCH_ZIP_MAX_MEMBER_MB = int(os.environ.get("YUNTING_BATCH_ZIP_MAX_MEMBER_MB", "100"))
YUNTING_BATCH_ZIP_MAX_RATIO = int(os.environ.get("YUNTING_BATCH_ZIP_MAX_RATIO", "100"))
YUNTING_BATCH_RECORDS_MAX_MB = int(os.environ.get("YUNTING_BATCH_RECORDS_MAX_MB", "200"))  # records.jsonl unpacked
YUNTING_BATCH_MAX_LINE_KB = int(os.environ.get("YUNTING_BATCH_MAX_LINE_KB", "1024"))  # one record

# --- litigation fees (诉讼费用交纳办法): per-kind amounts for range fees, else the lower bound; final rounding --
YUNTING_FEE_RANGE_AMOUNTS: dict[str, str] = {}
YUNTING_FEE_ROUNDING = "0.01"
# Online fee payment: the gateway adapter's dotted path, or "" to offer bank transfer (reconciled from the bank's
# CSV statement) only. The default is the named FAKE gateway, which approves at once and moves no money.
FEE_ONLINE_GATEWAY = os.environ.get("YUNTING_FEE_GATEWAY", "yunting.core.fees.payments.fake.FakeOnlineGateway")

# --- online rooms (core.rooms): WebRTC ICE servers for the browser mesh, face match at entry -------------------
# YUNTING_ROOMS_ICE: JSON list of RTCIceServer dicts, e.g. [{"urls": "stun:stun.example.org:3478"},
# {"urls": "turn:turn.example.org:3478", "username": "u", "credential": "p"}]. Empty: host candidates only (LAN).
import json as _json  # noqa: E402

ROOMS_ICE_SERVERS = _json.loads(os.environ.get("YUNTING_ROOMS_ICE", "[]"))
# Face match adapter (dotted path) or "" for the one-time code alone; the default is the named FAKE.
ROOMS_FACE_MATCH = os.environ.get("YUNTING_ROOMS_FACE_MATCH", "")
ROOMS_INVITATION_HOURS = int(os.environ.get("YUNTING_ROOMS_INVITATION_HOURS", "72"))
ROOMS_MESH_MAX = int(os.environ.get("YUNTING_ROOMS_MESH_MAX", "8"))  # above this, rooms.media's SFU is advised

# --- hearing transcripts (workflows.transcripts) and speech recognition (kernel.asr) -----------------------------
# ASR engine: "manual" (the clerk types; the default), "vosk" or "sherpa_onnx" with a model the operator installs in
# YUNTING_ASR_MODEL_DIR (none can be downloaded by the platform; a missing model is a clear error, not a crash).
YUNTING_ASR_ENGINE = os.environ.get("YUNTING_ASR_ENGINE", "manual")
YUNTING_ASR_MODEL_DIR = os.environ.get("YUNTING_ASR_MODEL_DIR", "")
# Days each participant has to read and sign the transcript after the hearing: CPL art 150 (当庭或者在五日内阅读).
TRANSCRIPT_REVIEW_PERIOD = "transcript-read"
# Wrong one-time codes before a participant's signing is locked (then only the clerk can reopen it).
TRANSCRIPT_SIGN_MAX_FAILURES = 5
