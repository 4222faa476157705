/**
 * A stand-in for the browser's EventSource in Vitest (jsdom has none): records the URLs the page
 * opens and lets a test play the server's part.
 */
export class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  /** Every stream opened, oldest first. */
  static opened = [];

  readyState = FakeEventSource.CONNECTING;
  onopen = null;
  onerror = null;
  #listeners = {};

  constructor(url) {
    this.url = url;
    FakeEventSource.opened.push(this);
  }

  /** Installs the fake as the global EventSource and forgets earlier streams. */
  static install() {
    FakeEventSource.opened = [];
    globalThis.EventSource = FakeEventSource;
  }

  /** The stream opened last. */
  static get latest() {
    return FakeEventSource.opened.at(-1);
  }

  addEventListener(type, listener) {
    (this.#listeners[type] ??= []).push(listener);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** The server accepted the stream. */
  accept() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }

  /** The server sends an event named `type` with SSE id `id` and JSON `data`. */
  send(type, id, data) {
    for (const listener of this.#listeners[type] ?? []) {
      listener({ type, lastEventId: id, data: JSON.stringify(data) });
    }
  }
}
