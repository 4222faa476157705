import { beforeEach, describe, expect, it } from 'vitest';
import { ThreadStream } from './stream.js';
import { FakeEventSource } from './testing/fake-event-source.js';

const streamUrl = (lastEventId) => `/api/thread/stream?lastEventId=${encodeURIComponent(lastEventId)}`;

describe('ThreadStream', () => {
  let events;
  let stream;

  beforeEach(() => {
    FakeEventSource.install();
    events = [];
    stream = new ThreadStream((e) => events.push(e), () => {});
  });

  it('resumes after the stream.ready cursor when it went away before any event', () => {
    stream.open();
    expect(FakeEventSource.latest.url).toBe('/api/thread/stream');
    FakeEventSource.latest.accept();
    FakeEventSource.latest.send('stream.ready', 'c4-a9', { type: 'stream.ready' });
    stream.close(); // offline
    stream.reconnect(); // back online
    expect(FakeEventSource.latest.url).toBe(streamUrl('c4-a9'));
    expect(events).toEqual([]); // stream.ready is not a thread event
  });

  it('tells the page when a stream opened without a cursor is subscribed, so history loads from there', () => {
    let ready = 0;
    stream = new ThreadStream((e) => events.push(e), () => {}, () => ready++);
    stream.open();
    FakeEventSource.latest.accept();
    expect(ready).toBe(0); // open is not subscribed: stream.ready comes when the gateway subscribed it
    FakeEventSource.latest.send('stream.ready', 'c4-a9', { type: 'stream.ready' });
    expect(ready).toBe(1);
  });

  it('resumes after the last event seen', () => {
    stream.open();
    FakeEventSource.latest.send('stream.ready', 'c4-a9', { type: 'stream.ready' });
    FakeEventSource.latest.send('turn.started', 'c4-a10', { eventId: 'e1', turnId: 't1' });
    stream.close();
    stream.reconnect();
    expect(FakeEventSource.latest.url).toBe(streamUrl('c4-a10'));
  });

  it('hands on an event that arrives twice once', () => {
    stream.open();
    FakeEventSource.latest.send('turn.started', 'c4-a10', { eventId: 'e1', turnId: 't1' });
    stream.close();
    stream.reconnect();
    FakeEventSource.latest.send('turn.started', 'c4-a10', { eventId: 'e1', turnId: 't1' }); // replayed
    FakeEventSource.latest.send('text.delta', 'c4-a11', { eventId: 'e2', turnId: 't1', sequence: 0, text: 'Hi' });
    expect(events.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect(events[0].type).toBe('turn.started');
  });

  it('reopens a stream the browser is still trying to reconnect at once, not an open one', () => {
    stream.open();
    stream.reconnect(); // still connecting: a fresh attempt now
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.latest.accept();
    stream.reconnect();
    expect(FakeEventSource.opened).toHaveLength(2);
  });
});
