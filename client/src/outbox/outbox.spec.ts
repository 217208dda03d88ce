import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryOutbox, openOutbox, type OutboxEntry, type OutboxStore } from './outbox';

function entry(key: string, createdAt: number): OutboxEntry {
  return {
    key,
    shape: 5,
    shapeName: 'heart',
    canvas: [400, 400],
    durationMs: 1200,
    startedAt: 1_704_067_200_000,
    device: 'mouse',
    createdAt,
    session: 's1',
    strokes: [
      {
        x: new Float32Array([1.25, 2.5]),
        y: new Float32Array([3, 4]),
        t: new Uint32Array([0, 16]),
        p: new Float32Array([0.5, 0.5]),
        color: '#1e1e1e',
        width: 4,
      },
    ],
  };
}

describe.each([
  ['IndexedDB', () => openOutbox(new IDBFactory())],
  ['memory', async () => new MemoryOutbox()],
])('%s outbox', (_name, open: () => Promise<OutboxStore>) => {
  let outbox: OutboxStore;
  beforeEach(async () => {
    outbox = await open();
  });

  it('starts empty', async () => {
    expect(await outbox.count()).toBe(0);
    expect(await outbox.list()).toEqual([]);
  });

  it('keeps an entry, typed arrays included, until it is deleted', async () => {
    await outbox.put(entry('a', 1));
    const back = await outbox.get('a');
    expect(back).toEqual(entry('a', 1));
    expect(back!.strokes[0]!.x).toBeInstanceOf(Float32Array);
    expect(back!.strokes[0]!.t).toBeInstanceOf(Uint32Array);
    expect(await outbox.delete('a')).toBe(true);
    expect(await outbox.get('a')).toBeUndefined();
    expect(await outbox.count()).toBe(0);
  });

  it('reports whether a deleted key was there (a repeated ack is not counted twice)', async () => {
    await outbox.put(entry('a', 1));
    expect(await outbox.delete('a')).toBe(true);
    expect(await outbox.delete('a')).toBe(false);
  });

  it('lists entries oldest first, whatever their keys', async () => {
    await outbox.put(entry('zzz', 3));
    await outbox.put(entry('aaa', 2));
    await outbox.put(entry('mmm', 1));
    expect((await outbox.list()).map((e) => e.key)).toEqual(['mmm', 'aaa', 'zzz']);
    expect(await outbox.count()).toBe(3);
  });

  it('replaces an entry put twice under the same key', async () => {
    await outbox.put(entry('a', 1));
    await outbox.put({ ...entry('a', 1), durationMs: 99 });
    expect(await outbox.count()).toBe(1);
    expect((await outbox.get('a'))!.durationMs).toBe(99);
  });
});

describe('IndexedDB outbox persistence', () => {
  it('survives closing and reopening the database (a page reload)', async () => {
    const factory = new IDBFactory();
    const first = await openOutbox(factory);
    await first.put(entry('k1', 1));
    first.close();
    const second = await openOutbox(factory);
    expect((await second.list()).map((e) => e.key)).toEqual(['k1']);
  });
});
