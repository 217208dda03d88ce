/**
 * The outbox: every submitted drawing is written here, durably, before it is sent, and removed
 * only when the server acks its idempotency key. A reload, a crash, a lost network or a server
 * restart therefore never loses a drawing; it is resubmitted with the same key, and the server
 * answers a repeated key with the same drawing id.
 */

import type { Device, WireStroke } from '../protocol';

export interface OutboxEntry {
  /** The idempotency key (a UUID); the entry's primary key. */
  readonly key: string;
  readonly shape: number;
  readonly shapeName: string;
  /** The drawing's canvas in CSS pixels. */
  readonly canvas: readonly [number, number];
  readonly durationMs: number;
  /** Epoch ms of the first pointer-down. */
  readonly startedAt: number;
  readonly device: Device;
  readonly strokes: readonly WireStroke[];
  /** Epoch ms when it was submitted; entries are resent oldest first. */
  readonly createdAt: number;
  /** The session it was first submitted in (the server derives the drawing id from it). */
  readonly session?: string;
}

export interface OutboxStore {
  /** Resolves once the entry is committed to disk. */
  put(entry: OutboxEntry): Promise<void>;
  /** Removes the entry; resolves true if it was there. */
  delete(key: string): Promise<boolean>;
  get(key: string): Promise<OutboxEntry | undefined>;
  /** All entries, oldest first. */
  list(): Promise<OutboxEntry[]>;
  count(): Promise<number>;
  close(): void;
}

const STORE = 'outbox';
const BY_CREATED = 'createdAt';
const VERSION = 1;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

class IndexedDbOutbox implements OutboxStore {
  constructor(private readonly db: IDBDatabase) {}

  private tx(mode: IDBTransactionMode): IDBTransaction {
    // 'strict' asks the browser to flush to disk before reporting completion: the whole point
    // of the outbox is to survive a crash right after the player pressed Submit.
    return mode === 'readwrite'
      ? this.db.transaction(STORE, mode, { durability: 'strict' })
      : this.db.transaction(STORE, mode);
  }

  async put(entry: OutboxEntry): Promise<void> {
    const tx = this.tx('readwrite');
    tx.objectStore(STORE).put(entry);
    await committed(tx);
  }

  async delete(key: string): Promise<boolean> {
    const tx = this.tx('readwrite');
    const store = tx.objectStore(STORE);
    const existed = request(store.count(key));
    store.delete(key);
    await committed(tx);
    return (await existed) > 0;
  }

  get(key: string): Promise<OutboxEntry | undefined> {
    return request(this.tx('readonly').objectStore(STORE).get(key) as IDBRequest<OutboxEntry | undefined>);
  }

  list(): Promise<OutboxEntry[]> {
    const index = this.tx('readonly').objectStore(STORE).index(BY_CREATED);
    return request(index.getAll() as IDBRequest<OutboxEntry[]>);
  }

  count(): Promise<number> {
    return request(this.tx('readonly').objectStore(STORE).count());
  }

  close(): void {
    this.db.close();
  }
}

/** Opens (creating on first use) the outbox database. */
export function openOutbox(
  factory: IDBFactory = indexedDB,
  name = 'drawstream',
): Promise<OutboxStore> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) {
        const store = db.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex(BY_CREATED, 'createdAt');
      }
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the schema asks us to let go; we reopen on the next page load.
      db.onversionchange = () => db.close();
      resolve(new IndexedDbOutbox(db));
    };
    req.onerror = () => reject(req.error ?? new Error('cannot open IndexedDB'));
    req.onblocked = () => reject(new Error('the outbox database is blocked by another tab'));
  });
}

/**
 * The fallback where IndexedDB is unavailable (some private modes): drawings still wait for
 * their ack and survive reconnects, but not a reload. The UI says so.
 */
export class MemoryOutbox implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();

  async put(entry: OutboxEntry): Promise<void> {
    this.entries.set(entry.key, structuredClone(entry));
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  async get(key: string): Promise<OutboxEntry | undefined> {
    return this.entries.get(key);
  }

  async list(): Promise<OutboxEntry[]> {
    return [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  async count(): Promise<number> {
    return this.entries.size;
  }

  close(): void {}
}

/** The IndexedDB outbox, or the in-memory one (with `durable: false`) when it can't be opened. */
export async function openBestOutbox(): Promise<{ store: OutboxStore; durable: boolean }> {
  try {
    if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
    return { store: await openOutbox(), durable: true };
  } catch {
    return { store: new MemoryOutbox(), durable: false };
  }
}
