/** The localStorage key of the messages not yet accepted by the gateway. */
export const PENDING_KEY = 'mainloop.outbox.v1';

/**
 * Keeps the owner's unsent messages ({clientMessageId, text}, oldest first) in localStorage, so
 * that they survive a reload or a closed tab and are sent later with the same clientMessageId.
 * Without usable storage (private mode, quota, no window) it keeps them in memory only.
 */
export class PendingStore {
  #memory = [];

  constructor(storage = defaultStorage()) {
    this.storage = storage;
  }

  /** The stored messages, oldest first. */
  all() {
    if (!this.storage) return [...this.#memory];
    try {
      const list = JSON.parse(this.storage.getItem(PENDING_KEY) ?? '[]');
      return Array.isArray(list) ? list.filter((m) => m && typeof m.clientMessageId === 'string'
        && typeof m.text === 'string') : [];
    } catch {
      return [...this.#memory];
    }
  }

  /** Adds a message (once per clientMessageId). */
  put(clientMessageId, text) {
    const list = this.all();
    if (!list.some((m) => m.clientMessageId === clientMessageId)) list.push({ clientMessageId, text });
    this.#write(list);
  }

  /** Forgets a message: the gateway accepted it, or refused it for good. */
  remove(clientMessageId) {
    this.#write(this.all().filter((m) => m.clientMessageId !== clientMessageId));
  }

  #write(list) {
    this.#memory = list;
    if (!this.storage) return;
    try {
      if (list.length) this.storage.setItem(PENDING_KEY, JSON.stringify(list));
      else this.storage.removeItem(PENDING_KEY);
    } catch {
      // storage full or unavailable: kept in memory for this page
    }
  }
}

function defaultStorage() {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // access denied
  }
}
