"""Unexpected errors: a calm page for people, JSON for the API — never Flask's bare 500."""
from __future__ import annotations

import pytest

from bop import create_app
from tests.conftest import config_for


@pytest.fixture
def production_like(migrated_database):
    # TESTING off, so the error handler does what it does for real users.
    app = create_app(config_for(migrated_database, TESTING=False))

    @app.route("/boom")
    @app.route("/api/v1/boom")
    def boom():
        raise RuntimeError("kapot")

    return app.test_client()


def test_an_unexpected_error_gives_the_sites_own_page(production_like):
    response = production_like.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Er ging iets mis bij ons" in page
    assert 'class="site-header"' in page
    assert "kapot" not in page and "Traceback" not in page


def test_an_unexpected_api_error_is_json(production_like):
    response = production_like.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"code": "internal_server_error",
                                             "message": "Er ging iets mis bij ons. Probeer het straks nog eens."}}
