/** The event types the thread stream sends (docs/events.md). */
export const EVENT_TYPES = ['message.stored', 'turn.started', 'text.delta', 'tool.call', 'tool.result',
  'turn.completed', 'turn.failed'];

/**
 * Follows GET /api/thread/stream with the browser's EventSource, which reconnects by itself and
 * sends Last-Event-ID, so nothing is missed or repeated across a network loss. When the
 * browser gives up (the server answered an error, or the page slept), {@link reconnect} opens a
 * new stream from the last event seen (?lastEventId=...), as Last-Event-ID would.
 *
 * @param onEvent called with each event's data (parsed JSON, with its `type`)
 * @param onState called with 'connecting' | 'live' | 'closed'
 */
export class ThreadStream {
  #source = null;
  #lastEventId = null;

  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState;
  }

  /** Opens the stream (from now on, or after the last event seen). */
  open() {
    this.close();
    const url = this.#lastEventId ? `/api/thread/stream?lastEventId=${encodeURIComponent(this.#lastEventId)}`
      : '/api/thread/stream';
    const source = new EventSource(url, { withCredentials: true });
    this.#source = source;
    this.onState('connecting');
    source.onopen = () => this.onState('live');
    source.onerror = () => this.onState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        if (e.lastEventId) this.#lastEventId = e.lastEventId;
        let data;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        this.onEvent({ ...data, type });
      });
    }
  }

  /** Reopens the stream if the browser gave up on it. */
  reconnect() {
    if (!this.#source || this.#source.readyState === EventSource.CLOSED) this.open();
  }

  close() {
    this.#source?.close();
    this.#source = null;
  }
}
