"""Where the project's files are: one root for templates, static files, fonts and migrations.

BOP runs from its checkout (README, "Running in production"): the package is installed editable
(`pip install --no-deps -e .`), so `ROOT` is the checkout, where the top-level `templates/`,
`static/` and `migrations/` live beside `bop/`. A copy of `bop/` alone (`pip install .`) has none
of them; `missing_files` names what is missing so the app refuses to start with a clear message.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
MIGRATIONS = ROOT / "migrations"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
PICTOGRAMS = STATIC / "pictograms"  # one SVG per category: website, kiosk and every PDF


def missing_files(root: Path, languages: list[str]) -> list[str]:
    """What a running BOP needs under `root` (a checkout) and does not find, as relative paths."""
    needed = ["templates/base.html", "static/css/bop.css", "migrations/env.py"]
    needed += [f"bop/translations/{lang}/LC_MESSAGES/messages.mo" for lang in languages if lang != "nl"]
    return [path for path in needed if not (root / path).is_file()]


def missing_files_message(root: Path, missing: list[str]) -> str:
    return (f"BOP cannot start: {', '.join(missing)} not found under {root}. BOP runs from its checkout: "
            "in the checkout, install it with `pip install --no-deps -e .` (not `pip install .`) and compile "
            "the translations with `pybabel compile -d bop/translations` (see README, Running in production).")
