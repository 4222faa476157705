/** Tailwind classes shared by the side panel's views (buttons and fields are 44 px touch targets). */
export const button = 'min-h-11 min-w-11 rounded-lg px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-50';
export const primary = `${button} bg-sky-700 text-white hover:bg-sky-800`;
export const secondary = `${button} border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`;
export const danger = `${button} border border-red-700 text-red-800 hover:bg-red-50 dark:border-red-400 dark:text-red-300 dark:hover:bg-red-950`;
export const field = 'rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';
export const alert = 'rounded bg-red-100 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100';
export const muted = 'text-slate-600 dark:text-slate-400';

/** The badge colours of a task's phase (AA contrast in light and dark). */
export const PHASE_BADGE = {
  Pending: 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-slate-100',
  Running: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  NeedsInput: 'bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-50',
  Succeeded: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  Failed: 'bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100',
  Cancelled: 'bg-slate-100 text-slate-700 line-through dark:bg-slate-800 dark:text-slate-300'
};
