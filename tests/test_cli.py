"""The real `drawstream up` on an empty data directory: serves `/`, accepts a drawing, stops
cleanly on SIGTERM, and `drawstream export` on the same directory returns what was acked."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from pathlib import Path

import httpx
import psutil

from server.embedded import free_port
from tests.fixtures import circle_drawing, drawing_json
from tests.processes import ROOT, drawstream, wait_ready


async def test_up_serves_accepts_and_stops_then_export_reads_it(embedded_data_dir: Path) -> None:
    port = free_port()
    up = subprocess.Popen(  # noqa: ASYNC220 (returns at once; the stack runs beside the test)
        drawstream("up", "--data-dir", str(embedded_data_dir), "--port", str(port)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(url, 90)
        descendants = psutil.Process(up.pid).children(recursive=True)
        async with httpx.AsyncClient(base_url=url) as c:
            page = await c.get("/")
            assert page.status_code in (200, 503) and "Drawstream" in page.text
            r = await c.post(
                "/api/drawings",
                json=drawing_json(circle_drawing()),
                headers={"X-Session-Id": "cli-session-1", "X-Idempotency-Key": "one"},
            )
            assert r.status_code == 201, r.text
            acked = r.json()["id"]
            for _ in range(200):
                if (await c.get("/health")).json()["ingest"]["backlog"] == 0:
                    break
                await asyncio.sleep(0.05)
    finally:
        up.send_signal(signal.SIGTERM)
        printed, _ = up.communicate(timeout=60)
    assert up.returncode == 0
    assert f"Drawstream is running at {url}/" in printed
    assert not [p for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    out = await asyncio.to_thread(
        subprocess.run,
        drawstream("export", "--data-dir", str(embedded_data_dir)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["key_id"] for r in rows] == [acked]
    assert rows[0]["word"] == "circle"
