"""The [cchc] settings (cchc/settings.py): secrets.toml of the working directory, the environment over it, and an
edited file read again (the gate asks on every request, so the file is parsed once per change, not per ask)."""

import os

from cchc import settings


def test_secrets_file_then_environment_and_an_edit_is_seen(tmp_path, monkeypatch):
    for name in ("CCHC_LOGIN_REQUIRED", "CCHC_AUTH", "CCHC_SESSION_HOURS"):
        monkeypatch.delenv(name, raising=False)
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[cchc]\nlogin_required = true\nauth = "header"\nsession_hours = 8\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert (settings.login_required(), settings.auth_mode(), settings.session_hours()) == (True, "header", 8)
    monkeypatch.setenv("CCHC_AUTH", "oidc")  # the environment wins
    assert settings.auth_mode() == "oidc"
    secrets.write_text('[cchc]\nlogin_required = false\n', encoding="utf-8")
    os.utime(secrets, ns=(1, 10**18))  # a different modification time, whatever the clock's resolution
    assert (settings.login_required(), settings.session_hours()) == (False, 10)
    secrets.write_text("[cchc\nnot toml", encoding="utf-8")
    os.utime(secrets, ns=(1, 2 * 10**18))
    assert settings.login_required() is False  # a broken file: the defaults
