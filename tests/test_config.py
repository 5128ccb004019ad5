"""Settings: one factory, every setting documented, clear errors."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from newsdesk import config
from newsdesk.config import Settings, make_settings
from newsdesk.errors import ConfigError


def test_every_setting_is_documented() -> None:
    table = config.__doc__ or ""
    for field in fields(Settings):
        assert f"| {field.name} " in table, f"{field.name} is missing from config.py's table"


def test_precedence_option_over_environment_over_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "newsdesk.toml"
    file.write_text('db = "file.db"\nport = 9000\nsite_name = "Desk"\n')
    monkeypatch.setenv("NEWSDESK_DB", "env.db")
    settings = make_settings(config_file=file, port=8080)
    assert (settings.db, settings.port, settings.site_name) == ("env.db", 8080, "Desk")


def test_unknown_and_bad_settings_are_named(tmp_path: Path) -> None:
    file = tmp_path / "newsdesk.toml"
    file.write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="colour"):
        make_settings(config_file=file)
    with pytest.raises(ConfigError, match="port"):
        make_settings(config_file=tmp_path / "none.toml", port="eighty")
    file.write_text("db = \n")
    with pytest.raises(ConfigError, match=r"newsdesk\.toml"):
        make_settings(config_file=file)
