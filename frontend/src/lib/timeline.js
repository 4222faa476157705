/**
 * The memory timeline: the summaries of the temporal pyramid (docs/memory.md) arranged as months
 * -> weeks -> days, newest first, plus the recent days that have no summary yet. Pure functions of
 * the API's answer, the owner's time zone and "now" (so they are unit-tested directly).
 *
 * Days are 'YYYY-MM-DD' in the owner's time zone; a month is keyed 'YYYY-MM'; a week (ISO, Monday
 * to Sunday) is keyed by its Monday. A day always shows under its own month: a week that spans two
 * months shows in both, with its days of each, and its weekly summary under the month it starts in.
 */

/** 'YYYY-MM-DD' of an instant in a time zone (or of a value that already is a day). */
export function dayOf(value, timeZone) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = value instanceof Date ? value : new Date(value);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The day {@code n} days after {@code day} (negative: before). */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the ISO week of {@code day}. */
export function weekOf(day) {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  return addDays(day, -weekday);
}

/** 'YYYY-MM' of a day. */
export const monthOf = (day) => day.slice(0, 7);

const fmt = (day, options) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', ...options });

/** Labels for when the API gave none. */
export const dayLabel = (day) => fmt(day, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
export const weekLabel = (monday) => `Week of ${fmt(monday, { day: 'numeric', month: 'short', year: 'numeric' })}`;
export const monthLabel = (month) => fmt(`${month}-01`, { month: 'long', year: 'numeric' });

/**
 * Months -> weeks -> days, newest first, from summaries of all granularities:
 * [{key: 'YYYY-MM', label, summary|null, weeks: [{key: Monday, label, summary|null,
 *   days: [{key: day, label, summary|null}]}]}]. A period shows when it has a summary of its own
 * or of a period inside it (a week of daily summaries but no weekly one yet shows all the same).
 */
export function buildTimeline(list, timeZone) {
  const months = new Map();
  const month = (key) => {
    if (!months.has(key)) months.set(key, { key, label: monthLabel(key), summary: null, weeks: new Map() });
    return months.get(key);
  };
  const week = (key, inMonth = monthOf(key)) => {
    const m = month(inMonth);
    if (!m.weeks.has(key)) m.weeks.set(key, { key, label: weekLabel(key), summary: null, days: new Map() });
    return m.weeks.get(key);
  };
  const day = (key) => {
    const w = week(weekOf(key), monthOf(key));
    if (!w.days.has(key)) w.days.set(key, { key, label: dayLabel(key), summary: null });
    return w.days.get(key);
  };
  for (const s of list ?? []) {
    const start = dayOf(s.periodStart, timeZone);
    let node;
    if (s.granularity === 'MONTHLY') node = month(monthOf(start));
    else if (s.granularity === 'WEEKLY') node = week(weekOf(start));
    else if (s.granularity === 'DAILY') node = day(start);
    else continue;
    node.summary = s;
    if (s.label) node.label = s.label;
  }
  const newestFirst = (map) => [...map.values()].sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  return newestFirst(months).map((m) => ({
    ...m,
    weeks: newestFirst(m.weeks).map((w) => ({ ...w, days: newestFirst(w.days) }))
  }));
}

/**
 * The last {@code count} days (today first) that have no daily summary yet, so they can still be
 * opened: [{key: day, label: 'Today' | 'Yesterday' | 'Mon, 2 Mar'}].
 */
export function recentDays(list, timeZone, now = new Date(), count = 7) {
  const today = dayOf(now, timeZone);
  const summarized = new Set((list ?? []).filter((s) => s.granularity === 'DAILY').map((s) => dayOf(s.periodStart, timeZone)));
  const out = [];
  for (let i = 0; i < count; i++) {
    const key = addDays(today, -i);
    if (summarized.has(key)) continue;
    out.push({ key, label: i === 0 ? 'Today' : i === 1 ? 'Yesterday' : fmt(key, { weekday: 'short', day: 'numeric', month: 'short' }) });
  }
  return out;
}
