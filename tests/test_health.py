"""/health reports the database: 200 when reachable, 503 when the server is gone."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.db.embedded import EmbeddedServer
from endorse.settings import Settings


async def test_health_up(client: AsyncTestClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "detail": None}


async def test_health_503_when_database_stops(tmp_path: Path) -> None:
    # A server of its own, so stopping it cannot disturb the session's shared server.
    server = EmbeddedServer(tmp_path / "pg")
    stopped = False
    try:
        app = create_app(Settings(data_dir=tmp_path), server.url)
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/health")).status_code == 200
            server.stop()
            stopped = True
            response = await client.get("/health")
            assert response.status_code == 503
            assert response.json()["database"] == "down"
    finally:
        if not stopped:
            server.stop()


async def test_openapi_schema_served(client: AsyncTestClient) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "endorse"
