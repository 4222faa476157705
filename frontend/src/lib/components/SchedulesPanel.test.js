import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSchedule, deleteSchedule, replaceSchedule, runSchedule, schedules } from '../api.js';
import SchedulesPanel from './SchedulesPanel.svelte';

vi.mock('../api.js', async (original) => ({
  ...(await original()), schedules: vi.fn(), createSchedule: vi.fn(), replaceSchedule: vi.fn(), deleteSchedule: vi.fn(),
  runSchedule: vi.fn()
}));

const weekly = {
  id: 's1', threadId: 'main', kind: 'PROMPT', title: 'Plan the week', prompt: 'Plan my week', cron: '0 0 8 ? * MON',
  timeZone: 'Europe/Paris', enabled: true, target: 'THREAD', createdBy: 'OWNER', builtIn: false,
  nextFireAt: '2026-11-23T07:00:00Z'
};
const reminder = {
  id: 's2', threadId: 'main', kind: 'REMINDER', title: 'Call the dentist', prompt: 'Remind me to call the dentist',
  runAt: '2026-11-24T08:00:00Z', timeZone: 'Europe/Paris', enabled: false, target: 'TASK', createdBy: 'ASSISTANT',
  builtIn: false, model: 'haiku'
};
const beat = {
  id: 'hb', threadId: 'main', kind: 'HEARTBEAT', title: 'Heartbeat', prompt: '(heartbeat)', cron: '0 0/30 * * * ?',
  timeZone: 'Europe/Paris', enabled: true, activeHoursStart: '08:00', activeHoursEnd: '22:00', target: 'THREAD',
  createdBy: 'SYSTEM', builtIn: true, nextFireAt: '2026-11-23T07:30:00Z'
};

const item = (title) => screen.getAllByTestId('schedule-item').find((e) => e.textContent.includes(title));

describe('the schedules panel', () => {
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('lists each schedule with when, time zone, next fire, who made it and the actions it allows', async () => {
    schedules.mockResolvedValue({ schedules: [weekly, reminder, beat] });
    render(SchedulesPanel);
    await screen.findAllByTestId('schedule-item');

    const w = within(item('Plan the week'));
    expect(w.getByTestId('schedule-when').textContent).toContain('cron 0 0 8 ? * MON');
    expect(w.getByTestId('schedule-when').textContent).toContain('Europe/Paris');
    expect(w.getByTestId('schedule-facts').textContent).toMatch(/next .*23.*08:00/);
    expect(w.getByTestId('schedule-facts').textContent).toContain('by you');
    expect(w.getByLabelText('Enabled').checked).toBe(true);

    const r = within(item('Call the dentist'));
    expect(r.getByTestId('schedule-when').textContent).toMatch(/once, .*24.*09:00/);
    expect(r.getByTestId('schedule-facts').textContent).toMatch(/off · by the assistant · as a sub-agent task · haiku/);
    expect(r.getByLabelText('Enabled').checked).toBe(false);

    const h = within(item('Heartbeat'));
    expect(h.getByText('built in')).toBeDefined();
    expect(h.getByTestId('schedule-when').textContent).toContain('08:00–22:00');
    expect(h.queryByLabelText('Enabled')).toBeNull();
    expect(h.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(h.getByRole('button', { name: 'Run now' })).toBeDefined();
  });

  it('switches a schedule off with all its fields kept, runs one now and deletes one after a confirmation', async () => {
    schedules.mockResolvedValue({ schedules: [weekly] });
    render(SchedulesPanel);
    await screen.findByTestId('schedule-item');

    replaceSchedule.mockResolvedValue({ ...weekly, enabled: false });
    schedules.mockResolvedValue({ schedules: [{ ...weekly, enabled: false }] });
    await fireEvent.click(screen.getByLabelText('Enabled'));
    expect(replaceSchedule).toHaveBeenCalledWith('s1', { title: 'Plan the week', prompt: 'Plan my week',
      cron: '0 0 8 ? * MON', timeZone: 'Europe/Paris', enabled: false, kind: 'PROMPT', target: 'THREAD', threadId: 'main' });
    await waitFor(() => expect(screen.getByTestId('schedule-item').dataset.enabled).toBe('false'));

    runSchedule.mockResolvedValue({ scheduleId: 's1', firingId: 'f1' });
    await fireEvent.click(screen.getByRole('button', { name: 'Run now' }));
    expect(runSchedule).toHaveBeenCalledWith('s1');
    await screen.findByText('“Plan the week” runs now.');

    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(deleteSchedule).not.toHaveBeenCalled();
    deleteSchedule.mockResolvedValue(null);
    schedules.mockResolvedValue({ schedules: [] });
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(deleteSchedule).toHaveBeenCalledWith('s1');
    await screen.findByText('No schedules yet.');
  });

  it('adds a schedule with a cron or a date and time, and shows the service\'s problem', async () => {
    schedules.mockResolvedValue({ schedules: [] });
    render(SchedulesPanel);
    await screen.findByText('No schedules yet.');
    await fireEvent.click(screen.getByRole('button', { name: 'New schedule' }));
    const add = screen.getByRole('button', { name: 'Add schedule' });
    expect(add.disabled).toBe(true);

    await fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'Plan my week' } });
    await fireEvent.input(screen.getByLabelText(/^Cron/), { target: { value: 'every monday' } });
    await fireEvent.input(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Paris' } });
    createSchedule.mockRejectedValueOnce(Object.assign(new Error("'every monday' is not a cron expression"), { status: 400 }));
    await fireEvent.click(add);
    expect((await screen.findByRole('alert')).textContent).toContain("'every monday' is not a cron expression");

    await fireEvent.click(screen.getByLabelText('Once'));
    await fireEvent.input(screen.getByLabelText('Date and time'), { target: { value: '2026-11-24T09:00' } });
    await fireEvent.input(screen.getByLabelText(/^Title/), { target: { value: 'Dentist' } });
    await fireEvent.change(screen.getByLabelText('Runs as'), { target: { value: 'TASK' } });
    createSchedule.mockResolvedValue(reminder);
    schedules.mockResolvedValue({ schedules: [reminder] });
    await fireEvent.click(screen.getByRole('button', { name: 'Add schedule' }));
    expect(createSchedule).toHaveBeenLastCalledWith({ prompt: 'Plan my week', runAt: '2026-11-24T09:00', title: 'Dentist',
      timeZone: 'Europe/Paris', target: 'TASK' });
    await waitFor(() => expect(item('Call the dentist')).toBeDefined());
    expect(screen.queryByRole('form', { name: 'Add a schedule' })).toBeNull();
  });
});
