import { describe, expect, it } from 'vitest';
import { describeWhen, formatInTimeZone, replacement, scheduleRequest } from './schedules.js';

const weekly = {
  id: 's1', threadId: 'main', kind: 'PROMPT', title: 'Plan', prompt: 'Plan my week', model: null, cron: '0 0 8 ? * MON',
  timeZone: 'Europe/Paris', enabled: true, target: 'THREAD', createdBy: 'OWNER', builtIn: false,
  createdAt: '2026-11-20T10:00:00Z', nextFireAt: '2026-11-23T07:00:00Z'
};

describe('schedules', () => {
  it('says when a schedule fires, a one-shot in its own time zone', () => {
    expect(describeWhen(weekly)).toBe('cron 0 0 8 ? * MON');
    const once = { runAt: '2026-11-23T08:00:00Z', timeZone: 'Asia/Tokyo' };
    expect(describeWhen(once, 'en-GB')).toBe('once, Mon 23 Nov, 17:00');
    expect(formatInTimeZone('2026-11-23T07:00:00Z', 'Europe/Paris', 'en-GB')).toBe('Mon 23 Nov, 08:00');
    expect(formatInTimeZone('2026-11-23T07:00:00Z', 'Nowhere/Else', 'en-GB')).toMatch(/23 Nov/);
    expect(formatInTimeZone(null)).toBe('');
  });

  it('replaces a schedule with every field kept but the changed ones', () => {
    expect(replacement(weekly, { enabled: false })).toEqual({
      title: 'Plan', prompt: 'Plan my week', cron: '0 0 8 ? * MON', timeZone: 'Europe/Paris', enabled: false,
      kind: 'PROMPT', target: 'THREAD', threadId: 'main'
    });
  });

  it('makes the request of the form: a cron or a time, blank optional fields left out', () => {
    const form = { title: ' ', prompt: ' Plan my week ', repeat: 'cron', cron: '0 8 * * 1', runAt: '2026-11-23T09:00',
      timeZone: 'Europe/Paris', model: '', target: 'THREAD' };
    expect(scheduleRequest(form)).toEqual({ prompt: 'Plan my week', cron: '0 8 * * 1', timeZone: 'Europe/Paris' });
    expect(scheduleRequest({ ...form, repeat: 'once', title: 'Dentist', model: 'haiku', target: 'TASK' })).toEqual({
      prompt: 'Plan my week', runAt: '2026-11-23T09:00', title: 'Dentist', model: 'haiku', timeZone: 'Europe/Paris',
      target: 'TASK'
    });
    expect(scheduleRequest({ ...form, cron: ' ' })).toBeNull();
    expect(scheduleRequest({ ...form, repeat: 'once', runAt: '' })).toBeNull();
    expect(scheduleRequest({ ...form, prompt: '' })).toBeNull();
  });
});
