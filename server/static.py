"""Serving the built client: hashed assets as files, every page route as index.html.

When the client has not been built, `/` explains how to build it instead of a bare 404.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

PAGES = ("/", "/play", "/watch", "/lab", "/admin", "/admin/{rest:path}")
DEFAULT_DIST = Path(__file__).resolve().parent.parent / "client" / "dist"

_NOT_BUILT = """<!doctype html><meta charset=utf-8><title>Drawstream</title>
<h1>Drawstream</h1><p>The browser client is not built yet. Run <code>make run</code>
(or <code>npm ci &amp;&amp; npm run build</code> in <code>client/</code>).</p>"""


def client_routes(dist: Path | None) -> list[Route | Mount]:
    root = dist or DEFAULT_DIST
    index = root / "index.html"

    async def page(request: Request) -> Response:
        if not index.exists():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    routes: list[Route | Mount] = [Route(p, page, methods=["GET", "HEAD"]) for p in PAGES]
    assets = root / "assets"
    routes.append(Mount("/assets", app=StaticFiles(directory=assets, check_dir=False)))
    return routes
