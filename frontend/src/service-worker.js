/// <reference types="@sveltejs/kit" />
/**
 * Caches the app shell (the built JS/CSS and static files) so the app opens offline and
 * installs as a PWA. Never caches API data: /api/* always goes to the network. Shows the gateway's
 * Web Push messages as notifications and opens the app when one is clicked (docs/web-push.md).
 */
import { build, files, version } from '$service-worker';
import { notificationOf, openApp } from '$lib/push-handlers.js';

const CACHE = `mainloop-shell-${version}`;
const SHELL = [...build, ...files.filter((f) => !f.endsWith('.map')), '/'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')
      || url.pathname.startsWith('/q/')) {
    return; // the network, uncached
  }
  const shellPath = SHELL.includes(url.pathname) ? url.pathname : event.request.mode === 'navigate' ? '/' : null;
  if (!shellPath) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    try {
      const response = await fetch(event.request);
      if (response.ok && event.request.mode !== 'navigate') cache.put(event.request, response.clone());
      return response;
    } catch {
      const cached = await cache.match(shellPath);
      if (cached) return cached;
      throw new Error('offline and not cached');
    }
  }));
});

self.addEventListener('push', (event) => {
  const { title, options } = notificationOf(event.data ? event.data.text() : '');
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openApp(self.clients, self.location.origin, event.notification.data?.url));
});

// The push service renewed (or dropped) this browser's subscription: subscribe again with the same key
// and tell the gateway (same origin: the session cookie goes along).
self.addEventListener('pushsubscriptionchange', (event) => {
  const options = event.oldSubscription?.options;
  if (!options?.applicationServerKey) return;
  event.waitUntil(self.registration.pushManager.subscribe(options).then((subscription) => fetch('/api/push/subscriptions', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(subscription.toJSON())
  })).catch(() => {}));
});
