import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError, createSchedule, deleteSchedule, hasSession, heartbeat, heartbeatRuns, pushKey, replaceSchedule, runSchedule,
  schedules, session, subscribePush, unsubscribePush, writeHeartbeat
} from './api.js';

let calls;

function answer(status, body, type = 'application/json') {
  globalThis.fetch = vi.fn(async (url, options = {}) => {
    calls.push({ url, method: options.method ?? 'GET', body: options.body ? JSON.parse(options.body) : undefined });
    return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
  });
}

const ID = '7a4c2e10-3b5d-4f6a-9c8b-0d1e2f3a4b5c';

describe('the schedule, heartbeat and push API', () => {
  beforeEach(() => {
    calls = [];
  });
  afterEach(() => {
    delete globalThis.fetch;
  });

  it('says who is logged in and how, so a Cloudflare Access login skips the login form', async () => {
    answer(200, { identity: 'ada@example.com', method: 'access' });
    expect(await session()).toEqual({ identity: 'ada@example.com', method: 'access' });
    expect(await hasSession()).toBe(true);
    answer(204, null); // a gateway that answers without a body: still logged in
    expect(await session()).toEqual({});
    answer(401, { status: 401, detail: 'Missing or wrong owner token or session.' }, 'application/problem+json');
    expect(await session()).toBeNull();
    expect(await hasSession()).toBe(false);
    expect(calls.every((c) => c.method === 'GET' && c.url === '/api/session')).toBe(true);
  });

  it('lists, creates, replaces, runs and deletes schedules', async () => {
    answer(200, { schedules: [] });
    expect(await schedules()).toEqual({ schedules: [] });
    await createSchedule({ prompt: 'Plan my week', cron: '0 8 * * 1' });
    await replaceSchedule(ID, { prompt: 'Plan', cron: '0 9 * * 1', enabled: false });
    await runSchedule(ID);
    answer(204, null);
    expect(await deleteSchedule(ID)).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/schedules', 'POST /api/schedules',
      `PUT /api/schedules/${ID}`, `POST /api/schedules/${ID}/run`, `DELETE /api/schedules/${ID}`]);
    expect(calls[1].body).toEqual({ prompt: 'Plan my week', cron: '0 8 * * 1' });
    expect(calls[2].body).toEqual({ prompt: 'Plan', cron: '0 9 * * 1', enabled: false });
  });

  it('reads and writes the heartbeat checklist and reads its runs', async () => {
    answer(200, { checklist: '- inbox', updatedAt: '2026-11-20T08:00:00Z' });
    expect((await heartbeat()).checklist).toBe('- inbox');
    await writeHeartbeat('- inbox\n- build');
    await heartbeatRuns(5);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/heartbeat', 'PUT /api/heartbeat',
      'GET /api/heartbeat/runs?limit=5']);
    expect(calls[1].body).toEqual({ checklist: '- inbox\n- build' });
  });

  it('gets the push key and subscribes and unsubscribes this device', async () => {
    answer(200, { publicKey: 'BAq' });
    expect(await pushKey()).toEqual({ publicKey: 'BAq' });
    await subscribePush({ endpoint: 'https://push.example.net/a?b=c', keys: { p256dh: 'p', auth: 'a' } });
    answer(204, null);
    await unsubscribePush('https://push.example.net/a?b=c');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/push/key', 'POST /api/push/subscriptions',
      'DELETE /api/push/subscriptions?endpoint=https%3A%2F%2Fpush.example.net%2Fa%3Fb%3Dc']);

    answer(404, { status: 404, detail: 'Web Push is switched off on this gateway' }, 'application/problem+json');
    const error = await pushKey().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
  });
});
