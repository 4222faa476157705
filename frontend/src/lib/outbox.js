import { ApiError, postMessage } from './api.js';

/**
 * Sends the owner's messages: optimistic (the page shows them at once), retried with backoff
 * (1 s, 2 s, 4 s ... at most 30 s, and at once when the browser comes back online) until the
 * gateway accepts them. The same clientMessageId is reused on every retry, so the gateway
 * stores a message once however often it is sent. A refusal (4xx) is final and shown.
 *
 * @param thread a ThreadState
 * @param onUnauthorized called on 401 (the session expired)
 */
export class Outbox {
  #timers = new Map();

  constructor(thread, onUnauthorized, post = postMessage) {
    this.thread = thread;
    this.onUnauthorized = onUnauthorized;
    this.post = post;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', () => this.retryNow());
    }
  }

  /** Sends {@code text} as a new message; returns its clientMessageId. */
  send(text) {
    const clientMessageId = crypto.randomUUID();
    this.thread.addPending(clientMessageId, text);
    this.#attempt(clientMessageId, text, 0);
    return clientMessageId;
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

  async #attempt(clientMessageId, text, tries) {
    try {
      const accepted = await this.post(text, clientMessageId);
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
        this.thread.updatePending(clientMessageId, { state: 'failed', error: error.message });
      }
    }
  }

  #schedule(clientMessageId, text, tries, delayMs) {
    const timer = setTimeout(() => {
      this.#timers.delete(clientMessageId);
      this.#attempt(clientMessageId, text, tries + 1);
    }, delayMs);
    this.#timers.set(clientMessageId, { timer, text });
  }
}
