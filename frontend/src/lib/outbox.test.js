import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api.js';
import { Outbox } from './outbox.js';
import { ThreadState } from './thread.svelte.js';

describe('Outbox', () => {
  beforeEach(() => vi.useFakeTimers());
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
  });

  it('asks for a new login on 401', async () => {
    const thread = new ThreadState();
    const onUnauthorized = vi.fn();
    new Outbox(thread, onUnauthorized, async () => { throw new ApiError(401, 'Missing or wrong owner token.'); }).send('hi');
    await vi.advanceTimersByTimeAsync(0);
    expect(onUnauthorized).toHaveBeenCalled();
  });
});
