import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet


def clean_environment():
    # The browser tests allow the ORM in Playwright's event loop; production never does.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_check(**env):
    return subprocess.run(
        [sys.executable, "-m", "most.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean_environment(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DEBUG": "false", "ALLOWED_HOSTS": "most.example.org"}


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        **PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(50),
        MOST_AUDIT_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_asks_for_an_audit_master_key_of_its_own():
    result = run_check(**PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "most.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in clean_environment().items() if not k.startswith("SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "-m", "most.cli", "check"],
        env={**env, "DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("value", ["yes", "1", "TRUE!"])
def test_a_misspelt_boolean_is_refused(value):
    result = run_check(DEBUG=value)
    assert result.returncode != 0 and "DEBUG must be 'true' or 'false'" in result.stderr
