/**
 * What the Schedules view needs besides the API: the words for who made a schedule and where it
 * runs, its time shown in its own time zone, the body of a change (the API replaces every field),
 * and the request of the "Add a schedule" form.
 */

/** Who made a schedule, as the page says it. */
export const CREATED_BY = { OWNER: 'you', ASSISTANT: 'the assistant', SYSTEM: 'mainloop' };

/** Where a firing runs, as the page says it. */
export const TARGETS = { THREAD: 'a turn in the thread', TASK: 'a sub-agent task' };

/** The browser's IANA time zone (the form's default), or '' when the browser does not say. */
export function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

/**
 * {@code iso} as a short date and time in {@code timeZone} (the browser's when absent or unknown),
 * e.g. "Mon, 23 Nov, 08:00"; '' for no instant.
 */
export function formatInTimeZone(iso, timeZone, locale = undefined) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone || undefined }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(date); // an unknown zone: the browser's
  }
}

/** When a schedule fires, in words: "cron 0 0 8 ? * MON" or "once, Mon, 23 Nov, 08:00". */
export function describeWhen(schedule, locale = undefined) {
  if (schedule.cron) return `cron ${schedule.cron}`;
  if (schedule.runAt) return `once, ${formatInTimeZone(schedule.runAt, schedule.timeZone, locale)}`;
  return '';
}

/**
 * The PUT body that keeps every field of {@code schedule} (a Schedule as the API answered it) but
 * those in {@code changes}: the API replaces all fields, absent ones take their defaults.
 */
export function replacement(schedule, changes = {}) {
  const fields = ['title', 'prompt', 'model', 'cron', 'runAt', 'timeZone', 'enabled', 'activeHoursStart',
    'activeHoursEnd', 'kind', 'target', 'threadId'];
  const body = {};
  for (const f of fields) {
    if (schedule[f] !== null && schedule[f] !== undefined) body[f] = schedule[f];
  }
  return { ...body, ...changes };
}

/**
 * The POST body of the "Add a schedule" form: {@code form} is {title, prompt, repeat: 'cron'|'once',
 * cron, runAt (a datetime-local value, in timeZone), timeZone, model, target}. Blank optional fields
 * are left out; null when the form is incomplete (no prompt, or no cron or time for its kind).
 */
export function scheduleRequest(form) {
  const prompt = form.prompt?.trim();
  const when = form.repeat === 'once' ? form.runAt?.trim() : form.cron?.trim();
  if (!prompt || !when) return null;
  const request = { prompt };
  if (form.repeat === 'once') request.runAt = when;
  else request.cron = when;
  for (const f of ['title', 'model', 'timeZone']) {
    const v = form[f]?.trim();
    if (v) request[f] = v;
  }
  if (form.target && form.target !== 'THREAD') request.target = form.target;
  return request;
}
