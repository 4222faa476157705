import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError, changeMemory, coreBlock, forgetMemory, memories, periodHistory, remember, summaries, supersede,
  turnContext, writeCoreBlock
} from './api.js';

let calls;

function answer(status, body, type = 'application/json') {
  globalThis.fetch = vi.fn(async (url, options = {}) => {
    calls.push({ url, method: options.method ?? 'GET', body: options.body ? JSON.parse(options.body) : undefined,
      contentType: options.headers?.['Content-Type'] });
    return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
  });
}

describe('the memory API', () => {
  beforeEach(() => {
    calls = [];
  });
  afterEach(() => {
    delete globalThis.fetch;
  });

  it('asks for a period of history by days, leaving out what is not given', async () => {
    answer(200, { messages: [{ id: 'm1' }], truncated: false });
    expect(await periodHistory('2026-03-02', '2026-03-03')).toEqual({ messages: [{ id: 'm1' }], truncated: false });
    await periodHistory('2026-03-02T10:00:00Z', '2026-03-03', 500);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/history?from=2026-03-02&to=2026-03-03',
      '/api/history?from=2026-03-02T10%3A00%3A00Z&to=2026-03-03&limit=500'
    ]);
  });

  it('asks for summaries and memories with their filters', async () => {
    answer(200, { summaries: [], timeZone: 'Europe/Paris' });
    await summaries();
    await summaries({ granularity: 'DAILY', from: '2026-03-01', to: '' });
    answer(200, { memories: [] });
    await memories({ superseded: true });
    await memories({ kind: 'FACT' });
    expect(calls.map((c) => c.url)).toEqual(['/api/summaries', '/api/summaries?granularity=DAILY&from=2026-03-01',
      '/api/memories?superseded=true', '/api/memories?kind=FACT']);
  });

  it('writes, changes, supersedes and forgets memories with the documented bodies', async () => {
    answer(201, { id: 'n1', kind: 'FACT', text: 'likes tea' });
    expect((await remember({ kind: 'FACT', text: 'likes tea', pinned: true })).id).toBe('n1');
    await supersede('o1', 'FACT', 'likes green tea');
    answer(200, { id: 'n1' });
    await changeMemory('n1', { pinned: false });
    answer(204, null);
    expect(await forgetMemory('n1')).toBeNull();
    expect(calls).toEqual([
      { url: '/api/memories', method: 'POST', body: { kind: 'FACT', text: 'likes tea', pinned: true }, contentType: 'application/json' },
      { url: '/api/memories', method: 'POST', body: { kind: 'FACT', text: 'likes green tea', supersedes: 'o1' }, contentType: 'application/json' },
      { url: '/api/memories/n1', method: 'PATCH', body: { pinned: false }, contentType: 'application/json' },
      { url: '/api/memories/n1', method: 'DELETE', body: undefined, contentType: undefined }
    ]);
  });

  it('reads and writes core blocks, and a too long one fails with the problem detail', async () => {
    answer(200, { name: 'persona', text: 'calm', maxChars: 2000 });
    expect((await coreBlock('persona')).maxChars).toBe(2000);
    await writeCoreBlock('owner', 'Ana, in Lyon');
    expect(calls[1]).toEqual({ url: '/api/core-blocks/owner', method: 'PUT', body: { text: 'Ana, in Lyon' }, contentType: 'application/json' });
    answer(413, { status: 413, detail: 'persona is 2001 characters; at most 2000' }, 'application/problem+json');
    const error = await writeCoreBlock('persona', 'x'.repeat(2001)).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(413);
    expect(error.message).toBe('persona is 2001 characters; at most 2000');
  });

  it('reads what a turn saw', async () => {
    answer(200, { turnId: 't-1', layers: [] });
    expect((await turnContext('t-1')).turnId).toBe('t-1');
    expect(calls[0].url).toBe('/api/thread/turns/t-1/context');
  });
});
