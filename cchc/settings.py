"""The [cchc] settings: `.streamlit/secrets.toml` (the project's, then the working directory's), overridden by the
environment (CCHC_<NAME>). Read here, not through st.secrets, so the web server's gate (cchc/web.py) and the pages
see the same values."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRUE_WORDS = ("1", "true", "yes", "co", "có", "on")


def _secrets_files() -> list[Path]:
    project, here = ROOT / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"
    return [project] if here.parent.parent.resolve() == ROOT else [project, here]


_parsed: dict[Path, tuple[int, dict]] = {}  # path -> (mtime_ns, its [cchc] table): the gate asks on every request


def _read(path: Path) -> dict:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}  # no file
    cached = _parsed.get(path)
    if cached is None or cached[0] != stamp:
        try:
            with open(path, "rb") as handle:
                table = tomllib.load(handle).get("cchc", {})
        except (OSError, tomllib.TOMLDecodeError):
            table = {}  # one Streamlit itself will complain about
        cached = _parsed[path] = (stamp, table)
    return cached[1]


def _from_files() -> dict:
    merged: dict = {}
    for path in _secrets_files():
        merged.update(_read(path))
    return merged


def setting(name: str, default=None):
    env = os.environ.get(f"CCHC_{name.upper()}")
    if env is not None:
        return env
    return _from_files().get(name, default)


def flag(name: str, default: bool = False) -> bool:
    value = setting(name, default)
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS


def number(name: str, default: float) -> float:
    try:
        return float(setting(name, default))
    except (TypeError, ValueError):
        return default


def auth_mode() -> str:
    """"password" (accounts in the database), "oidc" (st.login, e.g. Keycloak), or "header" (a trusted proxy)."""
    mode = str(setting("auth", "password")).lower()
    return mode if mode in ("password", "oidc", "header") else "password"


def login_required() -> bool:
    return flag("login_required")


def trusted_header() -> str:
    return str(setting("trusted_header", "X-Remote-User"))


def proxy_secret() -> str:
    """The secret a trusted proxy sends with every request in header mode (required in that mode)."""
    return str(setting("proxy_secret", "") or "")


PROXY_SECRET_HEADER = "X-Cchc-Proxy-Secret"


def trusted_proxies() -> list[str]:
    """Addresses whose X-Forwarded-For is believed (the client address used to slow down wrong passwords)."""
    value = setting("trusted_proxies", "")
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    return [item.strip() for item in items if str(item).strip()]


def session_hours() -> float:
    """How long a login lasts without a new password: a working day."""
    return number("session_hours", 10)
