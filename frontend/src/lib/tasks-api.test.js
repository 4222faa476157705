import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError, answerTask, cancelTask, inbox, markSeen, retryTask, startTask, task, taskLogUrl, tasks
} from './api.js';

let calls;

function answer(status, body, type = 'application/json') {
  globalThis.fetch = vi.fn(async (url, options = {}) => {
    calls.push({ url, method: options.method ?? 'GET', body: options.body ? JSON.parse(options.body) : undefined,
      contentType: options.headers?.['Content-Type'] });
    return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
  });
}

const ID = '5d1f7a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6';
const TASK = { id: ID, title: 'Tidy', phase: 'Pending', attempt: 1 };

describe('the task API', () => {
  beforeEach(() => {
    calls = [];
  });
  afterEach(() => {
    delete globalThis.fetch;
  });

  it('starts a task with its request as JSON and lists and reads tasks', async () => {
    answer(201, TASK);
    expect(await startTask({ title: 'Tidy', prompt: 'tidy up', model: 'sonnet' })).toEqual(TASK);
    answer(200, { tasks: [TASK] });
    expect(await tasks()).toEqual({ tasks: [TASK] });
    answer(200, TASK);
    await task(ID);
    expect(calls).toEqual([
      { url: '/api/tasks', method: 'POST', body: { title: 'Tidy', prompt: 'tidy up', model: 'sonnet' }, contentType: 'application/json' },
      { url: '/api/tasks', method: 'GET', body: undefined, contentType: undefined },
      { url: `/api/tasks/${ID}`, method: 'GET', body: undefined, contentType: undefined }
    ]);
  });

  it('cancels, retries and answers a task, and reads and marks the inbox', async () => {
    answer(202, TASK);
    await cancelTask(ID);
    await retryTask(ID);
    await answerTask(ID, 'use main');
    answer(200, { items: [] });
    expect(await inbox()).toEqual({ items: [] });
    answer(204, null);
    expect(await markSeen(ID)).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `POST /api/tasks/${ID}/cancel`, `POST /api/tasks/${ID}/retry`, `POST /api/tasks/${ID}/answer`,
      'GET /api/inbox', `POST /api/inbox/${ID}/seen`
    ]);
    expect(calls[2].body).toEqual({ text: 'use main' });
    expect(taskLogUrl(ID)).toBe(`/api/tasks/${ID}/log`);
  });

  it('throws the problem of a wrong phase with its status and detail', async () => {
    answer(409, { type: 'about:blank', title: 'Conflict', status: 409, detail: 'the task has ended' }, 'application/problem+json');
    const error = await cancelTask(ID).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.message).toBe('the task has ended');
    expect(error.retryable).toBe(false);
  });
});
