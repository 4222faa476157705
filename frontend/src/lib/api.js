/**
 * The gateway's API (same origin; the owner token travels in the HttpOnly cookie the login sets).
 * Every function throws an ApiError with the HTTP status and the problem body's detail (RFC 9457).
 */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }

  /** Whether trying again later may succeed (network trouble, 408, 429, 5xx). */
  get retryable() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

async function call(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...options });
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached.');
  }
  if (!response.ok) {
    let detail = '';
    try {
      detail = (await response.json()).detail ?? '';
    } catch {
      // not a problem body
    }
    throw new ApiError(response.status, detail);
  }
  const body = await response.text();
  return body ? JSON.parse(body) : null;
}

/**
 * Who is logged in and how (GET /api/session): {identity, method} with method 'session', 'token'
 * or 'access' (Cloudflare Access, which has no login form: its cookie comes with every request);
 * null when nobody is (401).
 */
export async function session() {
  try {
    return (await call('/api/session')) ?? {};
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

/** Whether the browser is logged in (a session, or Cloudflare Access). */
export async function hasSession() {
  return (await session()) !== null;
}

/** Where signing out of Cloudflare Access goes: Cloudflare ends its session there. */
export const ACCESS_LOGOUT = '/cdn-cgi/access/logout';

/** Logs in with the owner token; the gateway answers with an HttpOnly cookie. */
export function login(token) {
  return call('/api/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token })
  });
}

/** Logs out (clears the cookie). */
export function logout() {
  return call('/api/session', { method: 'DELETE' });
}

/** POST /api/thread/messages -> {messageId, clientMessageId}; idempotent on clientMessageId. */
export function postMessage(text, clientMessageId) {
  return call('/api/thread/messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId })
  });
}

/** GET /api/thread/messages -> {messages (oldest first), nextBefore}. */
export function history(before, limit = 50) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== null && before !== undefined) query.set('before', String(before));
  return call(`/api/thread/messages?${query}`);
}

/** POST /api/thread/turns/{turnId}/cancel. */
export function cancelTurn(turnId) {
  return call(`/api/thread/turns/${encodeURIComponent(turnId)}/cancel`, { method: 'POST' });
}

// ---- Memory (docs/memory.md): the owner's thread's history by period, summaries, memories, core blocks

/** A query string of the given parameters, leaving out null, undefined and ''. */
function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function json(method, body) {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** GET /api/history?from=&to=&limit= -> {messages (oldest first), truncated}; from/to: days or instants. */
export function periodHistory(from, to, limit) {
  return call(`/api/history${query({ from, to, limit })}`);
}

/** GET /api/summaries?granularity=&from=&to= -> {summaries (newest first), timeZone}. */
export function summaries({ granularity, from, to } = {}) {
  return call(`/api/summaries${query({ granularity, from, to })}`);
}

/**
 * GET /api/search?q=&limit=&from=&to=&kind=&asOf= -> {query, asOf, tookMs, hits (best first)}: recall
 * over all of the thread's messages, summaries and memories. A hit: {id, kind (MESSAGE, SUMMARY,
 * MEMORY), role, sub, date, score, snippet (HTML-escaped, terms in <mark>), messageId, summaryId}.
 */
export function search({ q, limit, from, to, kind, asOf } = {}) {
  return call(`/api/search${query({ q, limit, from, to, kind, asOf })}`);
}

/**
 * POST /api/import with NDJSON (one {role, text, timestamp, externalId?, sessionId?} a line) ->
 * {imported, skipped}; a bad line: ApiError 400 whose detail names it, nothing imported.
 */
export function importHistory(ndjson) {
  return call('/api/import', { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: ndjson });
}

/** GET /api/memories?kind=&superseded= -> {memories (newest first)}. */
export function memories({ kind, superseded } = {}) {
  return call(`/api/memories${query({ kind, superseded })}`);
}

/** POST /api/memories {kind, text, pinned?, expiresAt?, supersedes?} -> the new Memory. */
export function remember(memory) {
  return call('/api/memories', json('POST', memory));
}

/** POST /api/memories with supersedes: the replacement of memory {@code id} (which stays, superseded). */
export function supersede(id, kind, text) {
  return remember({ kind, text, supersedes: id });
}

/** PATCH /api/memories/{id} {text?, kind?, pinned?, expiresAt?} -> the Memory. */
export function changeMemory(id, changes) {
  return call(`/api/memories/${encodeURIComponent(id)}`, json('PATCH', changes));
}

/** DELETE /api/memories/{id}: forgets it. */
export function forgetMemory(id) {
  return call(`/api/memories/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** GET /api/core-blocks/{name} -> {name, text, maxChars, updatedAt}; name: persona or owner. */
export function coreBlock(name) {
  return call(`/api/core-blocks/${encodeURIComponent(name)}`);
}

/** PUT /api/core-blocks/{name} {text} -> the block; over its maxChars: ApiError 413. */
export function writeCoreBlock(name, text) {
  return call(`/api/core-blocks/${encodeURIComponent(name)}`, json('PUT', { text }));
}

/** GET /api/thread/turns/{turnId}/context -> TurnContext: what the turn's assistant saw. */
export function turnContext(turnId) {
  return call(`/api/thread/turns/${encodeURIComponent(turnId)}/context`);
}

// ---- Sub-agent tasks and the inbox (docs/tasks.md): the owner's thread's tasks, forwarded to agent-service

/** POST /api/tasks {title, prompt, model?, ...TaskRequest} -> 201 the Task (source `api`). */
export function startTask(request) {
  return call('/api/tasks', json('POST', request));
}

/** GET /api/tasks -> {tasks (newest first)}. */
export function tasks() {
  return call('/api/tasks');
}

/** GET /api/tasks/{id} -> the Task. */
export function task(id) {
  return call(`/api/tasks/${encodeURIComponent(id)}`);
}

/** POST /api/tasks/{id}/cancel -> the Task; an ended task: ApiError 409. */
export function cancelTask(id) {
  return call(`/api/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}

/** POST /api/tasks/{id}/retry -> the Task, running again (attempt + 1); not Failed or Cancelled: ApiError 409. */
export function retryTask(id) {
  return call(`/api/tasks/${encodeURIComponent(id)}/retry`, { method: 'POST' });
}

/** POST /api/tasks/{id}/answer {text} -> the Task, resumed; not NeedsInput: ApiError 409. */
export function answerTask(id, text) {
  return call(`/api/tasks/${encodeURIComponent(id)}/answer`, json('POST', { text }));
}

/** GET /api/inbox -> {items (newest first)}: {kind: question|failed|result, taskId, title, text, at}. */
export function inbox() {
  return call('/api/inbox');
}

/** POST /api/inbox/{taskId}/seen: a result or failure no longer needs the owner. */
export function markSeen(taskId) {
  return call(`/api/inbox/${encodeURIComponent(taskId)}/seen`, { method: 'POST' });
}

/** The URL of a task's live log: server-sent events `line` (one stream-json line each) and `end` (the Task). */
export function taskLogUrl(id) {
  return `/api/tasks/${encodeURIComponent(id)}/log`;
}

// ---- Schedules (scheduler-service through the gateway): the owner's scheduled prompts and reminders

/**
 * GET /api/schedules -> {schedules (oldest first)}; a Schedule is {id, threadId, kind (HEARTBEAT|PROMPT|REMINDER),
 * title, prompt, model, cron (Quartz, seconds first) | runAt, timeZone, enabled, activeHoursStart, activeHoursEnd,
 * target (THREAD|TASK), createdBy (OWNER|ASSISTANT|SYSTEM), builtIn, createdAt, updatedAt, lastFiredAt, nextFireAt}.
 */
export function schedules() {
  return call('/api/schedules');
}

/** POST /api/schedules {title?, prompt, model?, cron | runAt, timeZone?, enabled?, target?, ...} -> 201 the Schedule. */
export function createSchedule(request) {
  return call('/api/schedules', json('POST', request));
}

/** PUT /api/schedules/{id} with every field (absent ones take their defaults) -> the Schedule; built in: ApiError 409. */
export function replaceSchedule(id, request) {
  return call(`/api/schedules/${encodeURIComponent(id)}`, json('PUT', request));
}

/** DELETE /api/schedules/{id}; built in: ApiError 409. */
export function deleteSchedule(id) {
  return call(`/api/schedules/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** POST /api/schedules/{id}/run -> {scheduleId, firingId, scheduledFor, firedAt}: it fires now, once. */
export function runSchedule(id) {
  return call(`/api/schedules/${encodeURIComponent(id)}/run`, { method: 'POST' });
}

// ---- Heartbeat (memory-service through the gateway): HEARTBEAT.md and what the beats did

/** GET /api/heartbeat -> {checklist (markdown), updatedAt}. */
export function heartbeat() {
  return call('/api/heartbeat');
}

/** PUT /api/heartbeat {checklist} -> {checklist, updatedAt}. */
export function writeHeartbeat(checklist) {
  return call('/api/heartbeat', json('PUT', { checklist }));
}

/**
 * GET /api/heartbeat/runs?limit= -> {runs (newest first): [{id, firedAt, outcome, reason, turnId, inputTokens,
 * outputTokens, costUsd}], today: {beats, modelCalls, inputTokens, outputTokens, costUsd, budgetTokens, budgetUsd}}.
 */
export function heartbeatRuns(limit = 20) {
  return call(`/api/heartbeat/runs${query({ limit })}`);
}

// ---- Web Push (docs/web-push.md): this device's notifications

/** GET /api/push/key -> {publicKey}: the VAPID key (base64url) to subscribe with; pushes off: ApiError 404. */
export function pushKey() {
  return call('/api/push/key');
}

/** POST /api/push/subscriptions with a PushSubscription's toJSON() -> {id, endpoint, createdAt}. */
export function subscribePush(subscription) {
  return call('/api/push/subscriptions', json('POST', subscription));
}

/** DELETE /api/push/subscriptions?endpoint=: this device gets no more pushes. */
export function unsubscribePush(endpoint) {
  return call(`/api/push/subscriptions${query({ endpoint })}`, { method: 'DELETE' });
}
