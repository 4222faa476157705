import { afterEach, describe, expect, it, vi } from 'vitest';
import { importHistory, search } from './api.js';
import { hitDay, hitLabel, snippetRuns } from './search.js';

describe('search hits', () => {
  it('shows a snippet as text runs, marked where the terms matched, never as HTML', () => {
    expect(snippetRuns('We took the <mark>kayak</mark> out &lt;b&gt;early&lt;/b&gt; &amp; came back')).toEqual([
      { text: 'We took the ', mark: false },
      { text: 'kayak', mark: true },
      { text: ' out <b>early</b> & came back', mark: false }
    ]);
    expect(snippetRuns('<img src=x onerror=alert(1)>')).toEqual([{ text: '<img src=x onerror=alert(1)>', mark: false }]);
    expect(snippetRuns(null)).toEqual([]);
  });

  it('zooms to the day the hit was written, in the owner\'s time zone', () => {
    const hit = { date: '2026-03-02T23:30:00Z' };
    expect(hitDay(hit, 'UTC')).toBe('2026-03-02');
    expect(hitDay(hit, 'Europe/Paris')).toBe('2026-03-03');
  });

  it('names what a hit is', () => {
    expect(hitLabel({ kind: 'MESSAGE', role: 'USER' })).toBe('You');
    expect(hitLabel({ kind: 'MESSAGE', role: 'ASSISTANT' })).toBe('Assistant');
    expect(hitLabel({ kind: 'SUMMARY', sub: 'DAILY' })).toBe('Daily summary');
    expect(hitLabel({ kind: 'MEMORY', sub: 'DECISION' })).toBe('Decision');
  });
});

describe('the search and import API', () => {
  afterEach(() => {
    delete globalThis.fetch;
  });

  it('asks for a search with its filters and sends an import as NDJSON', async () => {
    const calls = [];
    globalThis.fetch = vi.fn(async (url, options = {}) => {
      calls.push({ url, method: options.method ?? 'GET', type: options.headers?.['Content-Type'], body: options.body });
      return new Response(JSON.stringify({ hits: [], imported: 1, skipped: 0 }), { status: 200 });
    });
    await search({ q: 'the boat', limit: 20, kind: '' });
    await importHistory('{"role":"USER","text":"hi","timestamp":"2026-03-02T10:00:00Z"}\n');
    expect(calls[0]).toMatchObject({ url: '/api/search?q=the+boat&limit=20', method: 'GET' });
    expect(calls[1]).toMatchObject({ url: '/api/import', method: 'POST', type: 'application/x-ndjson' });
    expect(calls[1].body).toContain('"text":"hi"');
  });
});
