import { describe, expect, it, vi } from 'vitest';
import { notificationOf, openApp, safePath } from './push-handlers.js';

describe('the service worker\'s push handling', () => {
  it('shows the gateway\'s notification, and text that is no JSON as it is', () => {
    const payload = JSON.stringify({ title: 'mainloop', body: 'Your flight leaves at 09:40', tag: 'message-1',
      data: { url: '/', messageId: 'm1' } });
    expect(notificationOf(payload)).toEqual({ title: 'mainloop', options: { body: 'Your flight leaves at 09:40',
      tag: 'message-1', data: { url: '/', messageId: 'm1' }, icon: '/icon-192.png', badge: '/icon-192.png' } });
    expect(notificationOf('plain words')).toMatchObject({ title: 'mainloop', options: { body: 'plain words', data: { url: '/' } } });
    expect(notificationOf('')).toMatchObject({ title: 'mainloop', options: { body: '' } });
  });

  it('opens only paths of the app', () => {
    expect(safePath('/')).toBe('/');
    expect(safePath('/?task=1')).toBe('/?task=1');
    expect(safePath('https://evil.example/')).toBe('/');
    expect(safePath('//evil.example/')).toBe('/');
    expect(notificationOf(JSON.stringify({ body: 'x', data: { url: 'javascript:alert(1)' } })).options.data.url).toBe('/');
  });

  it('focuses an open window of the app, or opens one', async () => {
    const open = { url: 'https://app.example/', focus: vi.fn(async () => open), navigate: vi.fn() };
    const other = { url: 'https://elsewhere.example/', focus: vi.fn() };
    const clients = { matchAll: vi.fn(async () => [other, open]), openWindow: vi.fn() };
    expect(await openApp(clients, 'https://app.example', '/')).toBe(open);
    expect(open.focus).toHaveBeenCalled();
    expect(open.navigate).not.toHaveBeenCalled();
    expect(clients.openWindow).not.toHaveBeenCalled();

    const none = { matchAll: vi.fn(async () => [other]), openWindow: vi.fn(async () => 'new window') };
    expect(await openApp(none, 'https://app.example', '/')).toBe('new window');
    expect(none.openWindow).toHaveBeenCalledWith('/');
  });
});
