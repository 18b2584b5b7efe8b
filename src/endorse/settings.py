"""One typed settings object, read from the environment (ENDORSE_*, DATABASE_URL)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import msgspec


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the setting."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None  # None: start the embedded PostgreSQL under data_dir
    data_dir: Path = Path(".endorse")
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    max_upload_bytes: int = 20 * 1024 * 1024
    poll_seconds: int = 60
    pool_min: int = 1
    pool_max: int = 10
    # The worker's own pool: a stuck source holds one of these, never one the API needs.
    worker_pool_max: int = 4
    # An API request that gets no pooled connection within this answers 503, never hangs.
    db_acquire_seconds: float = 5.0
    # Fetching (scrapers._http, scrapers._guard): a body over max_bytes is refused; a poll,
    # every retry and wait included, ends by its deadline (never later than its interval);
    # loopback/private/link-local/metadata addresses are refused unless allowed (tests, demo).
    fetch_max_bytes: int = 64 * 1024 * 1024
    fetch_deadline_seconds: float = 30.0
    fetch_allow_private: bool = False
    # Host names this service answers to (port ignored; "*.example.org": its subdomains; "*":
    # any). Settings() built in code checks nothing; the environment's default is loopback only.
    allowed_hosts: tuple[str, ...] = ("*",)
    # Proxies (addresses or networks) whose X-Forwarded-For is believed; empty: none is.
    trusted_proxies: tuple[str, ...] = ()
    # Server-Sent Event streams one process holds open at once; past it, 503 (pages poll).
    sse_max_clients: int = 1000
    # On SIGTERM, open responses (event streams above all) get this long before they are cut.
    shutdown_grace_seconds: float = 10.0

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not 0 < value < 86400:
        raise SettingsError(f"{name} must be above 0 and under 86400, got {raw!r}")
    return value


def _bool(env: dict[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be 1 or 0 (true/false), got {raw!r}")


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # noqa: S104 - names the wildcard bind, binds nothing


def _list(env: dict[str, str], name: str) -> tuple[str, ...] | None:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return None
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _allowed_hosts(env: dict[str, str], bind: str) -> tuple[str, ...]:
    hosts = _list(env, "ENDORSE_ALLOWED_HOSTS")
    if hosts is None:
        # Loopback names by default: a browser on this machine can still be pointed at us by a
        # rebinding DNS name, which the Host check refuses.
        extra = () if bind in _ANY_ADDRESS or bind in LOOPBACK_HOSTS else (bind,)
        return (*LOOPBACK_HOSTS, *extra)
    for host in hosts:
        if host != "*" and ("*" in host.removeprefix("*.") or "/" in host):
            raise SettingsError(
                f"ENDORSE_ALLOWED_HOSTS: {host!r} is not a host name, '*.domain' or '*'"
            )
    return hosts


def _trusted_proxies(env: dict[str, str]) -> tuple[str, ...]:
    proxies = _list(env, "ENDORSE_TRUSTED_PROXIES") or ()
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"ENDORSE_TRUSTED_PROXIES: {proxy!r} is not an address or network"
            ) from None
    return proxies


def check_database_url(url: str) -> str:
    """Reject URLs asyncpg would choke on with a traceback, so the CLI can say which setting."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SettingsError(
            f"DATABASE_URL must start with postgresql:// (got scheme {parts.scheme or 'none'!r})"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise SettingsError("DATABASE_URL has an invalid port") from None
    if not parts.hostname and "host=" not in parts.query:
        raise SettingsError("DATABASE_URL names no host")
    return url


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    url = env.get("DATABASE_URL") or None
    if url is not None:
        check_database_url(url)
    port = _int(env, "ENDORSE_PORT", 8000)
    if not 0 < port < 65536:
        raise SettingsError(f"ENDORSE_PORT must be between 1 and 65535, got {port}")
    sse_max = _int(env, "ENDORSE_SSE_MAX_CLIENTS", 1000)
    if sse_max < 1:
        raise SettingsError(f"ENDORSE_SSE_MAX_CLIENTS must be at least 1, got {sse_max}")
    host = env.get("ENDORSE_HOST") or "127.0.0.1"
    return Settings(
        database_url=url,
        data_dir=Path(env.get("ENDORSE_DATA_DIR") or ".endorse"),
        host=host,
        port=port,
        log_level=(env.get("ENDORSE_LOG_LEVEL") or "INFO").upper(),
        max_upload_bytes=_int(env, "ENDORSE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024),
        poll_seconds=_int(env, "ENDORSE_POLL_SECONDS", 60),
        pool_min=_int(env, "ENDORSE_POOL_MIN", 1),
        pool_max=_int(env, "ENDORSE_POOL_MAX", 10),
        worker_pool_max=max(1, _int(env, "ENDORSE_WORKER_POOL_MAX", 4)),
        db_acquire_seconds=_float(env, "ENDORSE_DB_ACQUIRE_SECONDS", 5.0),
        fetch_max_bytes=max(1024, _int(env, "ENDORSE_FETCH_MAX_BYTES", 64 * 1024 * 1024)),
        fetch_deadline_seconds=_float(env, "ENDORSE_FETCH_DEADLINE_SECONDS", 30.0),
        fetch_allow_private=_bool(env, "ENDORSE_FETCH_ALLOW_PRIVATE"),
        allowed_hosts=_allowed_hosts(env, host),
        trusted_proxies=_trusted_proxies(env),
        sse_max_clients=sse_max,
        shutdown_grace_seconds=max(0.0, _float(env, "ENDORSE_SHUTDOWN_GRACE_SECONDS", 10.0)),
    )
