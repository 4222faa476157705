import { describe, expect, it } from 'vitest';
import { addDays, buildTimeline, dayOf, recentDays, weekOf } from './timeline.js';

const summary = (granularity, periodStart, extra = {}) => ({
  id: `${granularity}-${periodStart}`, granularity, periodStart, label: null, status: 'DONE', text: `${granularity} ${periodStart}`, ...extra
});

describe('the timeline', () => {
  it('knows days, ISO weeks and time zones', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekOf('2026-03-04')).toBe('2026-03-02'); // a Wednesday -> its Monday
    expect(weekOf('2026-03-08')).toBe('2026-03-02'); // Sunday ends the week
    expect(weekOf('2026-03-02')).toBe('2026-03-02');
    expect(dayOf('2026-03-02', 'Europe/Paris')).toBe('2026-03-02');
    // the start of 2 March in Paris is 23:00 UTC the day before
    expect(dayOf('2026-03-01T23:00:00Z', 'Europe/Paris')).toBe('2026-03-02');
    expect(dayOf('2026-03-01T23:00:00Z', 'UTC')).toBe('2026-03-01');
  });

  it('arranges months, weeks and days newest first, each with its summary', () => {
    const timeline = buildTimeline([
      summary('DAILY', '2026-03-03', { label: 'Tue 3 March' }),
      summary('MONTHLY', '2026-02-01'),
      summary('WEEKLY', '2026-02-23'),
      summary('DAILY', '2026-03-02'),
      summary('DAILY', '2026-02-24'),
      summary('DAILY', '2026-03-09', { status: 'PENDING', text: null })
    ], 'UTC');
    expect(timeline.map((m) => m.key)).toEqual(['2026-03', '2026-02']);
    const [march, february] = timeline;
    expect(march.summary).toBeNull(); // no monthly summary yet, shown for its days
    expect(march.weeks.map((w) => w.key)).toEqual(['2026-03-09', '2026-03-02']);
    expect(march.weeks[1].days.map((d) => d.key)).toEqual(['2026-03-03', '2026-03-02']);
    expect(march.weeks[1].days[0].label).toBe('Tue 3 March'); // the API's label wins
    expect(march.weeks[0].days[0].summary.status).toBe('PENDING');
    expect(february.summary.text).toBe('MONTHLY 2026-02-01');
    expect(february.weeks).toHaveLength(1);
    expect(february.weeks[0].summary.text).toBe('WEEKLY 2026-02-23');
    expect(february.weeks[0].days.map((d) => d.key)).toEqual(['2026-02-24']);
  });

  it('places summaries by their period start in the owner\'s time zone', () => {
    const timeline = buildTimeline([summary('DAILY', '2026-02-28T23:00:00Z')], 'Europe/Paris');
    expect(timeline[0].key).toBe('2026-03');
    expect(timeline[0].weeks[0].days[0].key).toBe('2026-03-01');
  });

  it('shows a day under its own month when its week began in the month before', () => {
    const [march, february] = buildTimeline([summary('WEEKLY', '2026-02-23'), summary('DAILY', '2026-02-27'),
      summary('DAILY', '2026-03-01')], 'UTC');
    expect(march.weeks.map((w) => [w.key, w.summary, w.days.map((d) => d.key)])).toEqual([['2026-02-23', null, ['2026-03-01']]]);
    expect(february.weeks[0].summary.granularity).toBe('WEEKLY');
    expect(february.weeks[0].days.map((d) => d.key)).toEqual(['2026-02-27']);
  });

  it('is empty without summaries', () => {
    expect(buildTimeline([], 'UTC')).toEqual([]);
    expect(buildTimeline(undefined, 'UTC')).toEqual([]);
  });

  it('lists the recent days without a daily summary, today first', () => {
    const now = new Date('2026-03-10T08:00:00Z');
    const days = recentDays([summary('DAILY', '2026-03-08'), summary('DAILY', '2026-03-09', { status: 'PENDING' }),
      summary('WEEKLY', '2026-03-02')], 'UTC', now);
    expect(days.map((d) => d.key)).toEqual(['2026-03-10', '2026-03-07', '2026-03-06', '2026-03-05', '2026-03-04']);
    expect(days[0].label).toBe('Today');
    // late evening in New York is already the next day in UTC
    expect(recentDays([], 'America/New_York', new Date('2026-03-10T02:00:00Z'), 2).map((d) => d.key))
      .toEqual(['2026-03-09', '2026-03-08']);
    expect(recentDays([], 'UTC', now, 2)[1].label).toBe('Yesterday');
  });
});
