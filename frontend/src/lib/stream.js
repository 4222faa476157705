import { SeenIds } from './seen-ids.js';
import { TASK_EVENT_TYPES } from './tasks.svelte.js';

/** The event types the thread stream sends (docs/events.md), the sub-agent tasks' too (docs/tasks.md). */
export const EVENT_TYPES = ['message.stored', 'thread.notice', 'turn.started', 'text.delta', 'text.block', 'tool.call',
  'tool.result', 'turn.completed', 'turn.failed', ...TASK_EVENT_TYPES];

/**
 * The first event of a stream opened without a cursor; its id is the stream's position at that
 * moment (the gateway's ClientStream), so a page that saw nothing else yet can still resume.
 */
export const READY_EVENT = 'stream.ready';

/**
 * Follows GET /api/thread/stream with the browser's EventSource, which reconnects by itself and
 * sends Last-Event-ID. When the browser gives up (the server answered an error, the page slept,
 * or the page closed it because it went offline), {@link reconnect} opens a new stream from the
 * last id seen (?lastEventId=..., from `stream.ready` or any later event), so nothing is missed.
 * An event that arrives twice (the same `eventId`, e.g. replayed after a reconnect) is handed on
 * once and does not move the cursor.
 *
 * A stream opened without a cursor carries only what happens after its `stream.ready`: the
 * server subscribed it then, which can be well after the browser asked (a slow or just-restored
 * network). `onReady` is told at that moment, so the page loads its history from there and
 * misses nothing stored before.
 *
 * @param onEvent called with each event's data (parsed JSON, with its `type`)
 * @param onState called with 'connecting' | 'live' | 'closed'
 * @param onReady called when a stream opened without a cursor is subscribed (its `stream.ready`)
 */
export class ThreadStream {
  #source = null;
  #lastEventId = null;
  #seen = new SeenIds(5000);

  constructor(onEvent, onState, onReady = () => {}) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.onReady = onReady;
  }

  /** The id of the last event seen (the cursor a reconnect resumes after), or null. */
  get lastEventId() {
    return this.#lastEventId;
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
    source.addEventListener(READY_EVENT, (e) => {
      if (e.lastEventId) this.#lastEventId = e.lastEventId;
      this.onReady();
    });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => this.#receive(type, e));
    }
  }

  /**
   * Reopens the stream unless it is open: at once, rather than after the browser's own retry
   * delay, if it is still trying to reconnect.
   */
  reconnect() {
    if (this.#source?.readyState !== EventSource.OPEN) this.open();
  }

  /** Closes the stream; {@link reconnect} resumes it after the last event seen. */
  close() {
    this.#source?.close();
    this.#source = null;
  }

  #receive(type, e) {
    let data;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    if (data.eventId && !this.#seen.add(data.eventId)) return; // a duplicate: its (older) id is no cursor
    if (e.lastEventId) this.#lastEventId = e.lastEventId;
    this.onEvent({ ...data, type });
  }
}
