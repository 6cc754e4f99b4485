"""Entry point for the `flask` command and for gunicorn (`gunicorn app:app`)."""
from bop import create_app

app = create_app()
