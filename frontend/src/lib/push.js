import { pushKey, subscribePush } from './api.js';

/**
 * Web Push on this device (docs/web-push.md): whether the browser can, whether to offer it (once:
 * the answer is remembered in localStorage), and turning it on: the permission (which browsers grant
 * only in answer to a click), a PushManager subscription with the gateway's VAPID key, and the
 * subscription sent to the gateway. Every browser object comes in as an argument, for the tests.
 */

/** localStorage key: set once the owner was offered notifications on this device (whatever the answer). */
export const ASKED_KEY = 'mainloop.push.asked';

/** Whether {@code win} can receive pushes: a service worker, PushManager and notifications. */
export function pushSupported(win = globalThis) {
  return Boolean(win?.navigator && 'serviceWorker' in win.navigator && 'PushManager' in win && 'Notification' in win);
}

/** Whether to offer notifications now: supported, not offered before, and not refused in the browser. */
export function shouldOffer(win = globalThis, storage = win?.localStorage) {
  if (!pushSupported(win)) return false;
  if (win.Notification.permission === 'denied') return false;
  try {
    return !storage?.getItem(ASKED_KEY);
  } catch {
    return false; // no storage: do not ask on every page
  }
}

/** Remembers that the owner was offered notifications on this device. */
export function rememberAsked(storage = globalThis.localStorage) {
  try {
    storage?.setItem(ASKED_KEY, new Date().toISOString());
  } catch {
    // private mode without storage: it may be offered again
  }
}

/** The bytes of a base64url string (the VAPID key as applicationServerKey wants it). */
export function base64UrlToBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(a, b) {
  if (!a) return true; // the browser does not say: keep the subscription
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

/**
 * Turns pushes on for this device; call it from a click. Asks the permission, subscribes with the
 * gateway's key (replacing a subscription made with another key) and sends the subscription to the
 * gateway.
 *
 * @returns 'subscribed', or 'denied' when the permission was not granted
 * @throws ApiError when the gateway refuses (e.g. 404: pushes are off), or the browser's error
 */
export async function enablePush(win = globalThis, api = { pushKey, subscribePush }) {
  const permission = await win.Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const { publicKey } = await api.pushKey();
  const key = base64UrlToBytes(publicKey);
  const registration = await win.navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options?.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) {
    subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  await api.subscribePush(subscription.toJSON());
  return 'subscribed';
}

/**
 * On a page load where pushes were granted before: sends this device's subscription to the gateway
 * again (it is idempotent), so the gateway keeps it even after its list lost it. Never throws.
 */
export async function resyncPush(win = globalThis, api = { subscribePush }) {
  try {
    if (!pushSupported(win) || win.Notification.permission !== 'granted') return false;
    const registration = await win.navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription) return false;
    await api.subscribePush(subscription.toJSON());
    return true;
  } catch {
    return false;
  }
}
