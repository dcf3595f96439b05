"""`pagemill.toml`: keys checked with the file named, nearest names, `PAGEMILL_*` overrides."""

from pathlib import Path

import pytest

from pagemill.config import Config, ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pagemill.toml").write_text(text)
    return tmp_path


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path, environ={}) == Config()


def test_known_keys_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, 'base_path = "/docs"\ntrailing_slash = true\ncompress = false\n'),
        environ={},
    )
    assert (config.base_path, config.trailing_slash, config.compress) == ("/docs", True, False)


def test_unknown_key_names_the_file_and_the_nearest_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, "trailing_slashes = true\n"), environ={})
    message = str(info.value)
    assert "pagemill.toml" in message
    assert "`trailing_slashes`" in message
    assert "did you mean `trailing_slash`?" in message


def test_wrong_type_names_key_and_expected_type(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"`compress` must be a bool, got str 'yes'"):
        load_config(write(tmp_path, 'compress = "yes"\n'), environ={})


@pytest.mark.parametrize("value", ["docs", "/docs/", "//docs"])
def test_bad_base_path(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="`base_path` must start with `/`"):
        load_config(write(tmp_path, f'base_path = "{value}"\n'), environ={})


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pagemill\.toml: not valid TOML"):
        load_config(write(tmp_path, "base_path = \n"), environ={})


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    app = write(tmp_path, "compress = true\n")
    config = load_config(app, environ={"PAGEMILL_COMPRESS": "false", "PAGEMILL_BASE_PATH": "/x"})
    assert (config.compress, config.base_path) == (False, "/x")


def test_bad_environment_boolean(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PAGEMILL_GENERATE_ETAGS: expected true or false"):
        load_config(tmp_path, environ={"PAGEMILL_GENERATE_ETAGS": "maybe"})
