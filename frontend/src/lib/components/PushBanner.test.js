import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pushKey, subscribePush } from '../api.js';
import { ASKED_KEY } from '../push.js';
import PushBanner from './PushBanner.svelte';

vi.mock('../api.js', async (original) => ({ ...(await original()), pushKey: vi.fn(), subscribePush: vi.fn() }));

function browser(answer = 'granted') {
  const storage = new Map();
  const subscription = { endpoint: 'https://push.example.net/1', options: {}, toJSON: () => ({ endpoint: 'https://push.example.net/1' }) };
  const pushManager = { getSubscription: vi.fn(async () => null), subscribe: vi.fn(async () => subscription) };
  return {
    localStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v) },
    navigator: { serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    PushManager: function PushManager() {},
    Notification: { permission: 'default', requestPermission: vi.fn(async () => answer) }
  };
}

describe('the notifications banner', () => {
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('is not shown where the browser has no PushManager', () => {
    const win = browser();
    delete win.PushManager;
    render(PushBanner, { win });
    expect(screen.queryByTestId('push-banner')).toBeNull();
  });

  it('turns notifications on for this device on a click, once', async () => {
    const win = browser();
    pushKey.mockResolvedValue({ publicKey: 'BAqHU0Yh' });
    subscribePush.mockResolvedValue({ id: 'x' });
    render(PushBanner, { win });
    await fireEvent.click(screen.getByRole('button', { name: 'Notify me on this device' }));
    await screen.findByText('Notifications are on for this device.');
    expect(win.Notification.requestPermission).toHaveBeenCalled();
    expect(subscribePush).toHaveBeenCalledWith({ endpoint: 'https://push.example.net/1' });
    expect(win.localStorage.getItem(ASKED_KEY)).toBeTruthy();

    cleanup();
    render(PushBanner, { win });
    expect(screen.queryByTestId('push-banner')).toBeNull(); // asked once
  });

  it('is dismissed for good with Not now, and says so when the browser refuses', async () => {
    const win = browser('denied');
    render(PushBanner, { win });
    await fireEvent.click(screen.getByRole('button', { name: 'Notify me on this device' }));
    await screen.findByText(/the browser did not allow them/);
    expect(subscribePush).not.toHaveBeenCalled();

    const other = browser();
    render(PushBanner, { win: other });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Not now' }).at(-1));
    expect(other.localStorage.getItem(ASKED_KEY)).toBeTruthy();
  });
});
