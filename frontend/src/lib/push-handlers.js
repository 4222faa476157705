/**
 * The service worker's side of Web Push (docs/web-push.md), kept apart from service-worker.js so it
 * is unit-tested: the notification a push shows, and where a click on it leads.
 */

/** Title of a notification whose push names none. */
export const DEFAULT_TITLE = 'mainloop';

/**
 * The notification of a push: its payload is the gateway's JSON {title, body, tag, data: {url, ...}};
 * a payload that is no JSON is shown as its text. Returns {title, options} for showNotification.
 */
export function notificationOf(payloadText) {
  let payload = null;
  try {
    payload = payloadText ? JSON.parse(payloadText) : null;
  } catch {
    payload = { body: payloadText };
  }
  if (!payload || typeof payload !== 'object') payload = { body: String(payloadText ?? '') };
  const data = payload.data && typeof payload.data === 'object' ? payload.data : {};
  const options = { body: String(payload.body ?? ''), data: { ...data, url: safePath(data.url) }, icon: '/icon-192.png',
    badge: '/icon-192.png' };
  if (payload.tag) options.tag = String(payload.tag);
  return { title: String(payload.title || DEFAULT_TITLE), options };
}

/** {@code url} when it is a path of this app ('/...', not '//host'), else '/'. */
export function safePath(url) {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}

/**
 * A click on a notification: focuses a window of the app that is open (navigating it to the
 * notification's path when it shows another), or opens one. {@code clients} is the service
 * worker's Clients; {@code origin} its origin.
 */
export async function openApp(clients, origin, url) {
  const path = safePath(url);
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => new URL(w.url).origin === origin);
  if (open) {
    const focused = await open.focus();
    if (new URL(open.url).pathname !== path && 'navigate' in open) await (focused ?? open).navigate(path);
    return focused ?? open;
  }
  return clients.openWindow(path);
}
