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

/** Whether the browser holds a valid session (GET /api/session: 204 or 401). */
export async function hasSession() {
  try {
    await call('/api/session');
    return true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}

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
