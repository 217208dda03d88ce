/**
 * Small JSON values in Web Storage. Storage can be missing, full or forbidden (private modes,
 * disabled cookies); the game then still works, it just forgets across reloads.
 */

export type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;

function safeStorage(pick: () => Storage): KeyValue | null {
  try {
    const s = pick();
    return s ?? null;
  } catch {
    return null;
  }
}

const memory = new Map<string, string>();
const memoryStorage: KeyValue = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
};

/** localStorage, or an in-memory stand-in where it is unavailable. */
export function localStore(): KeyValue {
  return safeStorage(() => window.localStorage) ?? memoryStorage;
}

/** sessionStorage (per tab, survives reloads), or an in-memory stand-in. */
export function sessionStore(): KeyValue {
  return safeStorage(() => window.sessionStorage) ?? memoryStorage;
}

export function readJson<T>(store: KeyValue, key: string, fallback: T): T {
  try {
    const raw = store.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function writeJson(store: KeyValue, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage forbidden: losing a preference is acceptable.
  }
}
