"""Typed, strict readers for environment variables.

A value that cannot be parsed raises SettingsError with one line naming the variable,
so a misconfigured container says what to fix instead of starting with a guess.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ImproperlyConfigured):
    """A setting from the environment is missing or malformed."""


def _raw(name: str) -> str:
    """The value; unset and empty (`NAME=` in an .env file) both mean "use the default"."""
    return os.environ.get(name, "").strip()


def env_str(name: str, default: str = "") -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if not raw:
        return default
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = _raw(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def env_fraction(name: str, default: float) -> float:
    """A number from 0 to 1."""
    raw = _raw(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise SettingsError(f"{name} must be a number from 0 to 1, got {raw!r}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks around items and empty items are dropped."""
    return [item.strip() for item in (_raw(name) or default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """NAME, or when it is unset the contents of the file NAME_FILE names, as the official
    images read Docker secrets (/run/secrets/...). Trailing newlines are not part of it."""
    value = _raw(name)
    path = _raw(f"{name}_FILE")
    if value or not path:
        return value or default
    try:
        with open(path, encoding="utf-8") as secret:
            return secret.read().rstrip("\r\n") or default
    except OSError as error:
        raise SettingsError(f"{name}_FILE: cannot read {path} ({error.strerror})") from None
