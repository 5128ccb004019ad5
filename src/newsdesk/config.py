"""Settings: one keyword-only factory, mirrored by CLI options, the environment and a TOML file.

| setting           | CLI option     | environment                | newsdesk.toml     | default                 |
|-------------------|----------------|----------------------------|-------------------|-------------------------|
| db                | --db           | NEWSDESK_DB                | db                | newsdesk.db             |
| api_token         | --token        | NEWSDESK_API_TOKEN         | api_token         | (none: writes refused)  |
| host              | --host         | NEWSDESK_HOST              | host              | 127.0.0.1               |
| port              | --port         | NEWSDESK_PORT              | port              | 8000                    |
| site_url          | --site-url     | NEWSDESK_SITE_URL          | site_url          | http://127.0.0.1:8000   |
| site_name         |                | NEWSDESK_SITE_NAME         | site_name         | newsdesk                |
| image_policy      | --image-policy | NEWSDESK_IMAGE_POLICY      | image_policy      | proxy                   |
| media_dir         |                | NEWSDESK_MEDIA_DIR         | media_dir         | ~/.cache/newsdesk/media |
| writes_per_minute |                | NEWSDESK_WRITES_PER_MINUTE | writes_per_minute | 60                      |
| llm_base_url      |                | NEWSDESK_LLM_BASE_URL      | llm_base_url      | (none: no LLM prose)    |
| llm_model         |                | NEWSDESK_LLM_MODEL         | llm_model         | (none)                  |
| llm_api_key       |                | NEWSDESK_LLM_API_KEY       | llm_api_key       | (none)                  |
| llm_timeout       |                | NEWSDESK_LLM_TIMEOUT       | llm_timeout       | 20 (seconds)            |

`image_policy` says how pages show source images: `proxy` serves each from
newsdesk's own origin (`/media/...`, fetched once through the guarded
fetcher and kept under `media_dir`, by default `$XDG_CACHE_HOME/newsdesk/media`;
the export bundles them), so readers'
browsers never contact the source's servers; `direct` links the source's
https URLs; `none` shows no images. `writes_per_minute` caps the write API
per token (429 with Retry-After beyond it).

`llm_base_url` (an OpenAI-compatible endpoint such as
``http://127.0.0.1:8080/v1``) with `llm_model` turns on the optional prose
Strategic Analysis written at ingest from the Editor's Desk's points
(newsdesk/llm.py); without them, or when the endpoint is slow or failing,
the structured desk stands alone.

Precedence: CLI option, then environment, then the file, then the default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from newsdesk.errors import ConfigError

CONFIG_FILE = "newsdesk.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "newsdesk.db"
    api_token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    site_url: str = "http://127.0.0.1:8000"
    site_name: str = "newsdesk"
    image_policy: str = "proxy"
    media_dir: str = ""  # empty: the user's cache directory (`media_directory`)
    writes_per_minute: int = 60
    llm_base_url: str | None = None
    llm_model: str = ""
    llm_api_key: str | None = None
    llm_timeout: float = 20.0


IMAGE_POLICIES = ("proxy", "direct", "none")


def make_settings(*, config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from the file, the environment and explicit overrides (None means unset)."""
    values: dict[str, Any] = {}
    values.update(_from_file(Path(config_file or CONFIG_FILE)))
    values.update(_from_environment())
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(", ".join(unknown), "unknown setting")
    if "port" in values:
        values["port"] = _port(values["port"])
    if "writes_per_minute" in values:
        values["writes_per_minute"] = _positive("writes_per_minute", values["writes_per_minute"])
    if "llm_timeout" in values:
        values["llm_timeout"] = _seconds("llm_timeout", values["llm_timeout"])
    if values.get("image_policy", "proxy") not in IMAGE_POLICIES:
        choices = ", ".join(IMAGE_POLICIES)
        raise ConfigError("image_policy", f"{values['image_policy']!r} is not one of {choices}")
    return Settings(**values)


def _from_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(str(path), f"cannot read settings: {error}") from error


def _from_environment() -> dict[str, str]:
    names = {f.name: f"NEWSDESK_{f.name.upper()}" for f in fields(Settings)}
    return {name: os.environ[env] for name, env in names.items() if os.environ.get(env)}


def _port(value: Any) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = -1
    if not 0 < port < 65536:
        raise ConfigError("port", f"{value!r} is not a TCP port")
    return port


def _positive(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ConfigError(name, f"{value!r} is not a positive whole number")
    return number


def _seconds(name: str, value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise ConfigError(name, f"{value!r} is not a number of seconds (up to 600)")
    return seconds


def media_directory(settings: Settings) -> Path:
    """Where proxied images (and the key that signs their paths) are kept."""
    if settings.media_dir:
        return Path(settings.media_dir).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "newsdesk" / "media"
