from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, flask_config, load_settings


def test_defaults_live_in_the_instance_folder(tmp_path: Path) -> None:
    settings = load_settings({"INSTANCE_PATH": tmp_path}, environ={})
    assert f"sqlite:///{tmp_path / 'cybermaturity.db'}" == settings.DATABASE_URL
    assert tmp_path / "uploads" == settings.UPLOAD_FOLDER
    assert settings.REDIS_URL is None
    assert settings.DEFAULT_LANGUAGE == "en"


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    environ = {
        "DATABASE_URL": "postgresql+psycopg://x@localhost/db",
        "DEFAULT_LANGUAGE": "fr",
        "MAX_UPLOAD_SIZE": "1000",
        "REDIS_URL": "",
    }
    settings = load_settings({"INSTANCE_PATH": tmp_path}, environ=environ)
    assert settings.DATABASE_URL.startswith("postgresql")
    assert settings.DEFAULT_LANGUAGE == "fr"
    assert settings.MAX_UPLOAD_SIZE == 1000
    assert settings.REDIS_URL is None


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = load_settings({"INSTANCE_PATH": tmp_path}, environ={})
    first = flask_config(settings)["SECRET_KEY"]
    assert len(first) >= 48
    assert flask_config(settings)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [("DEFAULT_LANGUAGE", "de"), ("MAX_UPLOAD_SIZE", "-1"), ("MAX_UPLOAD_SIZE", "x")],
)
def test_invalid_settings_are_refused_with_their_name(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_settings({"INSTANCE_PATH": tmp_path}, environ={key: value})


def test_unknown_override_keys_are_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load_settings({"INSTANCE_PATH": tmp_path, "NO_SUCH_KEY": 1}, environ={})
    assert "NO_SUCH_KEY" in caplog.text
