import { ApiError, postMessage } from './api.js';
import { PendingStore } from './pending-store.js';

/**
 * Sends the owner's messages: optimistic (the page shows them at once), retried with backoff
 * (1 s, 2 s, 4 s ... at most 30 s, and at once when the browser comes back online) until the
 * gateway accepts them. The same clientMessageId is reused on every retry, so the gateway
 * stores a message once however often it is sent. A refusal (4xx) is final and shown.
 * Until the gateway accepts a message it is kept in a {@link PendingStore}, so it survives a
 * reload and {@link resume} sends it again, still with the same clientMessageId.
 *
 * @param thread a ThreadState
 * @param onUnauthorized called on 401 (the session expired)
 * @param post sends one message (the API's postMessage)
 * @param store where unsent messages wait
 */
export class Outbox {
  #timers = new Map();
  #closed = false;
  #onOnline = () => this.retryNow();

  constructor(thread, onUnauthorized, post = postMessage, store = new PendingStore()) {
    this.thread = thread;
    this.onUnauthorized = onUnauthorized;
    this.post = post;
    this.store = store;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#onOnline);
    }
  }

  /** Sends {@code text} as a new message; returns its clientMessageId. */
  send(text) {
    const clientMessageId = crypto.randomUUID();
    this.store.put(clientMessageId, text);
    this.thread.addPending(clientMessageId, text);
    this.#attempt(clientMessageId, text, 0);
    return clientMessageId;
  }

  /**
   * Shows and sends again the messages a previous page left unsent (e.g. written offline, then
   * reloaded), each with its own clientMessageId; returns how many.
   */
  resume() {
    const waiting = this.store.all().filter((m) => !this.thread.pending.some((p) => p.clientMessageId === m.clientMessageId));
    for (const { clientMessageId, text } of waiting) {
      this.thread.addPending(clientMessageId, text);
      this.#attempt(clientMessageId, text, 0);
    }
    return waiting.length;
  }

  /** Retries every waiting message now (e.g. the network came back). */
  retryNow() {
    const waiting = [...this.#timers];
    this.#timers.clear();
    for (const [id, { timer, text }] of waiting) {
      clearTimeout(timer);
      this.#attempt(id, text, 0);
    }
  }

  /** Stops sending (the page goes away); unsent messages stay stored for the next page. */
  close() {
    this.#closed = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    if (typeof window !== 'undefined') window.removeEventListener('online', this.#onOnline);
  }

  async #attempt(clientMessageId, text, tries) {
    try {
      const accepted = await this.post(text, clientMessageId);
      this.store.remove(clientMessageId);
      this.thread.updatePending(clientMessageId, { messageId: accepted?.messageId ?? null, state: 'sent', error: null });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, String(e));
      if (error.status === 401) {
        this.thread.updatePending(clientMessageId, { state: 'retrying', error: 'Log in again to send.' });
        this.onUnauthorized?.();
        this.#schedule(clientMessageId, text, tries, 5000);
      } else if (error.retryable) {
        this.thread.updatePending(clientMessageId, { state: 'retrying', error: error.message });
        this.#schedule(clientMessageId, text, tries, Math.min(30000, 1000 * 2 ** tries));
      } else {
        this.store.remove(clientMessageId); // refused for good: sending it again cannot help
        this.thread.updatePending(clientMessageId, { state: 'failed', error: error.message });
      }
    }
  }

  #schedule(clientMessageId, text, tries, delayMs) {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(clientMessageId);
      this.#attempt(clientMessageId, text, tries + 1);
    }, delayMs);
    this.#timers.set(clientMessageId, { timer, text });
  }
}
