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


FULL = """
base_path = "/docs"
preview_secret = "s3cret"

[i18n]
locales = ["en-US", "fr", "nl-NL"]
default_locale = "en-US"

[[i18n.domains]]
domain = "example.fr"
default_locale = "fr"

[[redirects]]
source = "/old/:slug"
destination = "/new/:slug"
permanent = true

[[redirects]]
source = "/gone"
destination = "https://example.com/"
status_code = 301
has = [{ type = "header", key = "x-a" }]

[[rewrites]]
source = "/a"
destination = "/b"
phase = "before-files"

[[headers]]
source = "/(.*)"
headers = [{ key = "x-frame-options", value = "DENY" }]

[cache]
url = "redis://127.0.0.1:6379/0"

[server]
workers = 2
port = 8000
"""


def test_every_section_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL), environ={})
    assert config.i18n is not None and config.i18n.domains[0].default_locale == "fr"
    assert [r.permanent for r in config.redirects] == [True, None]
    assert config.redirects[1].has[0].key == "x-a"
    assert config.rewrites[0].phase == "before-files"
    assert config.headers[0].headers[0].value == "DENY"
    assert (config.cache.url, config.server.workers, config.server.port) == (
        "redis://127.0.0.1:6379/0",
        2,
        8000,
    )


def problems_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), environ={})
    message = str(info.value)
    assert all(line.startswith(str(tmp_path / "pagemill.toml")) for line in message.splitlines())
    return message


def test_nested_keys_are_named_by_their_path(tmp_path: Path) -> None:
    message = problems_of(
        tmp_path,
        '[i18n]\nlocales = ["en"]\ndefault_locale = "en"\ndomians = []\n'
        '[[rewrites]]\nsource = "/a"\ndestination = "/b"\nphase = "before_files"\n'
        '[server]\nport = "80"\n',
    )
    assert "unknown key `i18n.domians`: did you mean `domains`?" in message
    assert "`rewrites[0].phase` must be one of 'before-files', 'after-files', 'fallback'" in message
    assert "`server.port` must be an int, got str '80'" in message


def test_required_keys(tmp_path: Path) -> None:
    message = problems_of(tmp_path, '[[redirects]]\nsource = "/a"\n')
    assert "`redirects[0].destination` is required" in message


def test_redirect_needs_permanent_or_a_valid_status(tmp_path: Path) -> None:
    message = problems_of(
        tmp_path,
        '[[redirects]]\nsource = "/a"\ndestination = "/b"\n'
        '[[redirects]]\nsource = "/c"\ndestination = "/d"\nstatus_code = 305\n'
        '[[redirects]]\nsource = "e"\ndestination = "/f"\npermanent = false\n',
    )
    assert "`redirects[0]` needs exactly one of `permanent" in message
    assert "`redirects[1].status_code` must be one of 301, 302, 303, 307, 308, got 305" in message
    assert "`redirects[2].source` must start with `/`" in message


def test_i18n_locales_must_agree(tmp_path: Path) -> None:
    message = problems_of(
        tmp_path,
        '[i18n]\nlocales = ["en", "fr"]\ndefault_locale = "de"\n'
        '[[i18n.domains]]\ndomain = "x.nl"\ndefault_locale = "nl"\n',
    )
    assert "`i18n.default_locale` 'de' is not one of `i18n.locales` (en, fr)" in message
    assert "`i18n.domains[0]` uses locale 'nl'" in message


def test_conditions_need_a_key_and_headers_no_control_characters(tmp_path: Path) -> None:
    message = problems_of(
        tmp_path,
        '[[headers]]\nsource = "/a"\nheaders = [{ key = "x", value = "a\\nb" }]\n'
        'has = [{ type = "cookie" }]\n',
    )
    assert "`headers[0].headers[0]` contains a control character" in message
    assert "`headers[0].has[0]` of type 'cookie' needs a `key`" in message


def test_environment_overrides_sections(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "[server]\nport = 8000\n"),
        environ={"PAGEMILL_SERVER_PORT": "9000", "PAGEMILL_CACHE_URL": "redis://x"},
    )
    assert (config.server.port, config.cache.url) == (9000, "redis://x")


def test_bad_environment_number(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PAGEMILL_SERVER_WORKERS: expected a whole number"):
        load_config(tmp_path, environ={"PAGEMILL_SERVER_WORKERS": "two"})


def test_server_durations_take_whole_or_decimal_seconds(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "[server]\ngssp_timeout = 5\nbody_timeout = 2.5\n"),
        environ={"PAGEMILL_SERVER_HEADER_TIMEOUT": "1.5"},
    )
    server = config.server
    assert (server.gssp_timeout, server.body_timeout, server.header_timeout) == (5.0, 2.5, 1.5)


def test_bad_environment_duration(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PAGEMILL_SERVER_GSSP_TIMEOUT: expected a number"):
        load_config(tmp_path, environ={"PAGEMILL_SERVER_GSSP_TIMEOUT": "soon"})


def test_server_bounds_are_checked_in_the_file_and_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pagemill.toml: `server.body_size_limit` is 'huge'"):
        load_config(write(tmp_path, '[server]\nbody_size_limit = "huge"\n'), environ={})
    with pytest.raises(
        ConfigError, match=r"PAGEMILL_SERVER_\*: `server.worker_lifetime` must be 0"
    ):
        load_config(tmp_path / "none", environ={"PAGEMILL_SERVER_WORKER_LIFETIME": "5"})


def test_a_cache_url_of_another_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"`cache.url` is 'memcached://x': use \"memory://\""):
        load_config(write(tmp_path, '[cache]\nurl = "memcached://x"\n'), environ={})
