import { describe, expect, it, vi } from 'vitest';
import { ASKED_KEY, base64UrlToBytes, enablePush, pushSupported, rememberAsked, resyncPush, shouldOffer } from './push.js';

/** A window with what Web Push needs, its subscription recorded. */
function browser({ permission = 'default', answer = 'granted', existing = null } = {}) {
  const storage = new Map();
  const pushManager = {
    subscription: existing,
    getSubscription: vi.fn(async () => pushManager.subscription),
    subscribe: vi.fn(async (options) => {
      pushManager.subscription = subscription('https://push.example.net/new', options.applicationServerKey);
      return pushManager.subscription;
    })
  };
  return {
    pushManager,
    localStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v) },
    navigator: { serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    PushManager: function PushManager() {},
    Notification: { permission, requestPermission: vi.fn(async () => answer) }
  };
}

function subscription(endpoint, key) {
  return {
    endpoint, options: { applicationServerKey: key?.buffer ?? null }, unsubscribe: vi.fn(async () => true),
    toJSON: () => ({ endpoint, keys: { p256dh: 'p', auth: 'a' } })
  };
}

const KEY = 'BAqHU0YhKiWOkB9KS30tVBuc1ZAlyUkLRHPYYJFzWqN3EtVKZEdYmo1rtgJfV57V-kcwbKk6F-ABsCPpVO_TCLw';

describe('push on this device', () => {
  it('is offered once where the browser can, never where it cannot or was refused', () => {
    const win = browser();
    expect(pushSupported(win)).toBe(true);
    expect(shouldOffer(win)).toBe(true);
    rememberAsked(win.localStorage);
    expect(win.localStorage.getItem(ASKED_KEY)).toBeTruthy();
    expect(shouldOffer(win)).toBe(false);

    const noPushManager = browser();
    delete noPushManager.PushManager;
    expect(pushSupported(noPushManager)).toBe(false);
    expect(shouldOffer(noPushManager)).toBe(false);
    expect(shouldOffer(browser({ permission: 'denied' }))).toBe(false);
    expect(pushSupported(globalThis)).toBe(false); // jsdom has no PushManager
  });

  it('decodes the VAPID key from base64url', () => {
    const bytes = base64UrlToBytes(KEY);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBe(4);
    expect([...base64UrlToBytes('_-8')]).toEqual([255, 239]);
  });

  it('asks the permission, subscribes with the gateway\'s key and sends the subscription', async () => {
    const win = browser();
    const api = { pushKey: vi.fn(async () => ({ publicKey: KEY })), subscribePush: vi.fn(async () => ({})) };
    expect(await enablePush(win, api)).toBe('subscribed');
    expect(win.Notification.requestPermission).toHaveBeenCalled();
    const options = win.pushManager.subscribe.mock.calls[0][0];
    expect(options.userVisibleOnly).toBe(true);
    expect([...options.applicationServerKey]).toEqual([...base64UrlToBytes(KEY)]);
    expect(api.subscribePush).toHaveBeenCalledWith({ endpoint: 'https://push.example.net/new', keys: { p256dh: 'p', auth: 'a' } });
  });

  it('replaces a subscription made with another key, and keeps one made with the same', async () => {
    const api = { pushKey: async () => ({ publicKey: KEY }), subscribePush: vi.fn(async () => ({})) };
    const old = subscription('https://push.example.net/old', new Uint8Array(65).fill(7));
    const win = browser({ existing: old });
    await enablePush(win, api);
    expect(old.unsubscribe).toHaveBeenCalled();
    expect(api.subscribePush.mock.calls[0][0].endpoint).toBe('https://push.example.net/new');

    const same = subscription('https://push.example.net/same', base64UrlToBytes(KEY));
    const again = browser({ existing: same });
    await enablePush(again, api);
    expect(again.pushManager.subscribe).not.toHaveBeenCalled();
    expect(api.subscribePush.mock.calls[1][0].endpoint).toBe('https://push.example.net/same');
  });

  it('subscribes nothing when the permission is refused', async () => {
    const win = browser({ answer: 'denied' });
    const api = { pushKey: vi.fn(), subscribePush: vi.fn() };
    expect(await enablePush(win, api)).toBe('denied');
    expect(api.pushKey).not.toHaveBeenCalled();
    expect(win.pushManager.subscribe).not.toHaveBeenCalled();
  });

  it('sends a granted device\'s subscription again on a later visit, and nothing otherwise', async () => {
    const api = { subscribePush: vi.fn(async () => ({})) };
    const granted = browser({ permission: 'granted', existing: subscription('https://push.example.net/s', null) });
    expect(await resyncPush(granted, api)).toBe(true);
    expect(api.subscribePush).toHaveBeenCalledTimes(1);
    expect(await resyncPush(browser({ permission: 'default' }), api)).toBe(false);
    expect(await resyncPush(browser({ permission: 'granted' }), api)).toBe(false); // no subscription
    const failing = { subscribePush: vi.fn(async () => { throw new Error('offline'); }) };
    expect(await resyncPush(granted, failing)).toBe(false);
  });
});
