"""Honest packaging (README, "Running in production"): BOP runs from its checkout, installed editable.

A copy of the package alone (what `pip install .` puts in site-packages) has no templates, static
files, migrations or compiled catalogues: the app must refuse to start and say how to install it,
rather than start and fail on the first page. `bin/production-check` installs from the checkout in
a fresh virtualenv and serves from another directory.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bop import create_app, paths
from bop.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def test_the_checkout_has_everything_a_running_bop_needs():
    assert paths.missing_files(ROOT, LANGUAGES) == []
    assert paths.ROOT == ROOT


def test_a_copy_of_the_package_alone_misses_templates_static_migrations_and_catalogues(tmp_path):
    shutil.copytree(ROOT / "bop", tmp_path / "bop", ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    missing = paths.missing_files(tmp_path, LANGUAGES)
    assert missing == ["templates/base.html", "static/css/bop.css", "migrations/env.py",
                       *[f"bop/translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("en", "tr", "pl", "uk", "ar")]]


def test_the_app_refuses_to_start_without_its_files_and_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    with pytest.raises(RuntimeError) as error:
        create_app({"TESTING": True, "AUTO_MIGRATE": False, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t"})
    message = str(error.value)
    assert "templates/base.html" in message and str(tmp_path) in message
    assert "pip install --no-deps -e ." in message


def test_the_installed_package_is_the_checkout(tmp_path):
    """Outside the checkout (another working directory), `import bop` still finds the checkout's
    files: what gunicorn does when started from anywhere in the production recipe."""
    script = "import bop, bop.paths as p; print(p.ROOT); print(p.missing_files(p.ROOT, ['nl', 'en']))"
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(ROOT), "[]"]
