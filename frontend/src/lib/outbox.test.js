import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api.js';
import { Outbox } from './outbox.js';
import { PENDING_KEY, PendingStore } from './pending-store.js';
import { ThreadState } from './thread.svelte.js';

const offline = async () => { throw new ApiError(0, 'The server cannot be reached.'); };

describe('Outbox', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('retries a failed send with the same clientMessageId until it is accepted', async () => {
    const thread = new ThreadState();
    const ids = [];
    let calls = 0;
    const post = async (text, id) => {
      ids.push(id);
      calls++;
      if (calls < 3) throw new ApiError(0, 'The server cannot be reached.');
      return { messageId: 'm1' };
    };
    const outbox = new Outbox(thread, null, post);
    outbox.send('hello');
    await vi.advanceTimersByTimeAsync(0);
    expect(thread.pending[0].state).toBe('retrying');
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toBe(3);
    expect(new Set(ids).size).toBe(1);
    expect(thread.pending[0]).toMatchObject({ messageId: 'm1', state: 'sent' });
  });

  it('does not retry a refused message and says why', async () => {
    const thread = new ThreadState();
    const post = vi.fn(async () => { throw new ApiError(413, 'The message is 40000 bytes; at most 32768 bytes are accepted'); });
    new Outbox(thread, null, post).send('x'.repeat(40000));
    await vi.advanceTimersByTimeAsync(60000);
    expect(post).toHaveBeenCalledTimes(1);
    expect(thread.pending[0].state).toBe('failed');
    expect(thread.pending[0].error).toContain('32768');
    expect(new PendingStore().all()).toEqual([]); // not sent again after a reload either
  });

  it('asks for a new login on 401', async () => {
    const thread = new ThreadState();
    const onUnauthorized = vi.fn();
    new Outbox(thread, onUnauthorized, async () => { throw new ApiError(401, 'Missing or wrong owner token.'); }).send('hi');
    await vi.advanceTimersByTimeAsync(0);
    expect(onUnauthorized).toHaveBeenCalled();
  });

  it('keeps an unsent message across a reload and sends it then with the same clientMessageId', async () => {
    const id = new Outbox(new ThreadState(), null, offline).send('written offline');
    await vi.advanceTimersByTimeAsync(0);
    expect(JSON.parse(localStorage.getItem(PENDING_KEY))).toEqual([{ clientMessageId: id, text: 'written offline' }]);

    // the reloaded page: a new thread and outbox over the same storage
    const thread = new ThreadState();
    const post = vi.fn(async (text, clientMessageId) => ({ messageId: 'm1', clientMessageId }));
    const outbox = new Outbox(thread, null, post);
    expect(outbox.resume()).toBe(1);
    expect(thread.pending.map((p) => [p.clientMessageId, p.text])).toEqual([[id, 'written offline']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(post).toHaveBeenCalledExactlyOnceWith('written offline', id);
    expect(localStorage.getItem(PENDING_KEY)).toBeNull(); // accepted: a later reload sends nothing

    thread.apply({ type: 'message.stored', messageId: 'm1', role: 'USER', text: 'written offline',
      createdAt: '2026-11-21T10:00:01.000Z' });
    expect(thread.pending).toHaveLength(0);
    expect(thread.messages.map((m) => m.text)).toEqual(['written offline']);
    expect(outbox.resume()).toBe(0);
  });

  it('does not resend on resume what this page is sending already', async () => {
    const thread = new ThreadState();
    const post = vi.fn(offline);
    const outbox = new Outbox(thread, null, post);
    outbox.send('once');
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.resume()).toBe(0);
    expect(thread.pending).toHaveLength(1);
  });

  it('sends two identical texts as two messages', async () => {
    const thread = new ThreadState();
    const post = vi.fn(async (text, clientMessageId) => ({ messageId: `m-${clientMessageId}`, clientMessageId }));
    const outbox = new Outbox(thread, null, post);
    const first = outbox.send('ok');
    const second = outbox.send('ok');
    await vi.advanceTimersByTimeAsync(0);
    expect(first).not.toBe(second);
    thread.apply({ type: 'message.stored', messageId: `m-${first}`, role: 'USER', text: 'ok', createdAt: '2026-11-21T10:00:01.000Z' });
    thread.apply({ type: 'message.stored', messageId: `m-${second}`, role: 'USER', text: 'ok', createdAt: '2026-11-21T10:00:02.000Z' });
    expect(thread.messages.map((m) => m.text)).toEqual(['ok', 'ok']);
    expect(thread.pending).toHaveLength(0);
  });
});
