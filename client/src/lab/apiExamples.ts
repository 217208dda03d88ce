/**
 * Copy-and-run examples for every inference endpoint, written for the server the page was
 * loaded from. Each example is complete: the drawing in it is valid, so it answers 200.
 */

export interface ApiExample {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly curl: string | null;
  readonly python: string;
}

/** A small valid drawing: one stroke, a rough square, as a browser would send it. */
export const SAMPLE_STROKE_DATA = {
  canvas: { width: 400, height: 400 },
  strokes: [
    {
      points: [
        [100, 100],
        [300, 100],
        [300, 300],
        [100, 300],
        [100, 102],
      ].map(([x, y], i) => ({ x, y, pressure: 0.5, timestamp: 1704067200000 + i * 250 })),
    },
  ],
  duration_ms: 1000,
  device: 'mouse',
};

const json = (value: unknown) => JSON.stringify(value);

export function apiExamples(origin: string): ApiExample[] {
  const wsOrigin = origin.replace(/^http/, 'ws');
  const one = json({ strokeData: SAMPLE_STROKE_DATA });
  const batch = json({ drawings: [{ strokeData: SAMPLE_STROKE_DATA }, { strokeData: SAMPLE_STROKE_DATA }] });
  const pyDrawing = `stroke_data = ${json(SAMPLE_STROKE_DATA)}`;
  return [
    {
      id: 'model-info',
      title: 'GET /api/inference/model/info',
      description: 'The model this server serves: version, classes, accuracy. 503 with Retry-After while none is loaded.',
      curl: `curl -s ${origin}/api/inference/model/info`,
      python: ['import httpx', '', `print(httpx.get("${origin}/api/inference/model/info").json())`].join('\n'),
    },
    {
      id: 'classify',
      title: 'POST /api/inference/classify',
      description:
        'One drawing in (the strokeData of a submission, same validation and limits), the ranked shapes out. Bad input is a 400 naming every problem.',
      curl: `curl -s ${origin}/api/inference/classify \\\n  -H 'Content-Type: application/json' \\\n  -d '${one}'`,
      python: [
        'import httpx',
        '',
        pyDrawing,
        `r = httpx.post("${origin}/api/inference/classify", json={"strokeData": stroke_data})`,
        'r.raise_for_status()',
        'print(r.json()["shape"], r.json()["confidence"], r.json()["allPredictions"])',
      ].join('\n'),
    },
    {
      id: 'classify-batch',
      title: 'POST /api/inference/classify/batch',
      description: 'Up to 64 drawings in one request, classified together by one model; predictions in input order.',
      curl: `curl -s ${origin}/api/inference/classify/batch \\\n  -H 'Content-Type: application/json' \\\n  -d '${batch}'`,
      python: [
        'import httpx',
        '',
        pyDrawing,
        'body = {"drawings": [{"strokeData": stroke_data}] * 2}',
        `r = httpx.post("${origin}/api/inference/classify/batch", json=body)`,
        'print([p["shape"] for p in r.json()["predictions"]])',
      ].join('\n'),
    },
    {
      id: 'ws-classify',
      title: 'WebSocket /ws/classify',
      description:
        'Stream points while drawing; each update is answered with the ranked shapes (throttled, latest wins). msgpack frames, as docs/ws-protocol.md describes.',
      curl: null,
      python: [
        'import asyncio, msgpack, numpy as np',
        'from websockets.asyncio.client import connect',
        '',
        'async def main():',
        `    async with connect("${wsOrigin}/ws/classify") as ws:`,
        '        print(msgpack.unpackb(await ws.recv()))  # ready: the model',
        '        a = np.linspace(0, 2 * np.pi, 60)',
        '        x, y = 200 + 120 * np.cos(a), 200 + 120 * np.sin(a)',
        '        for lo in range(0, 60, 15):  # a circle, in four updates',
        '            await ws.send(msgpack.packb({"type": "points", "stroke": 0,',
        '                "x": x[lo:lo + 15].astype("<f4").tobytes(), "y": y[lo:lo + 15].astype("<f4").tobytes(),',
        '                "t": (np.arange(lo, lo + 15) * 16).astype("<u4").tobytes()}))',
        '            print(msgpack.unpackb(await ws.recv())["predictions"][:2])',
        '',
        'asyncio.run(main())',
      ].join('\n'),
    },
    {
      id: 'generate',
      title: 'POST /api/inference/generate',
      description:
        'New drawings of a shape from the active generator model, as submission strokeData (device "generated", timestamps from the start), with what the active classifier thinks of each. The same seed gives the same drawings.',
      curl: `curl -s ${origin}/api/inference/generate \\\n  -H 'Content-Type: application/json' \\\n  -d '${json({ shape: 'heart', count: 2, temperature: 0.8, seed: 7 })}'`,
      python: [
        'import httpx',
        '',
        `r = httpx.post("${origin}/api/inference/generate", json={"shape": "heart", "count": 2, "seed": 7})`,
        'r.raise_for_status()',
        'body = r.json()',
        'verdicts = body.get("classifier") or [None] * len(body["drawings"])  # no classifier: none',
        'for d, verdict in zip(body["drawings"], verdicts):',
        '    strokes = d["strokeData"]["strokes"]',
        '    print(len(strokes), "strokes", sum(len(s["points"]) for s in strokes), "points", verdict)',
      ].join('\n'),
    },
    {
      id: 'openapi',
      title: 'GET /api/openapi.json',
      description: 'The OpenAPI 3.1 document of the whole public HTTP API.',
      curl: `curl -s ${origin}/api/openapi.json`,
      python: ['import httpx', '', `spec = httpx.get("${origin}/api/openapi.json").json()`, 'print(sorted(spec["paths"]))'].join('\n'),
    },
  ];
}
