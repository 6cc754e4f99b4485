"""Where the project's files are: one root for templates, static files, fonts and migrations."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
MIGRATIONS = ROOT / "migrations"
PICTOGRAMS = STATIC / "pictograms"  # one SVG per category: website, kiosk and every PDF
