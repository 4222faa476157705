/**
 * What the Heartbeat view shows of a beat's run and of today's usage (GET /api/heartbeat/runs).
 */

/** The outcomes of a beat, as the page names them, and the badge colours (AA contrast in light and dark). */
export const OUTCOMES = {
  SKIPPED: { label: 'skipped', badge: 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-slate-100' },
  BUSY: { label: 'busy', badge: 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-slate-100' },
  SILENT: { label: 'nothing to say', badge: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100' },
  POSTED: { label: 'posted', badge: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100' },
  FAILED: { label: 'failed', badge: 'bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100' },
  BUDGET_SPENT: { label: 'budget spent', badge: 'bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-50' }
};

/** How the page names {@code outcome} (the raw value, lower-cased, for one it does not know). */
export const outcomeLabel = (outcome) => OUTCOMES[outcome]?.label ?? String(outcome ?? '').toLowerCase();

/** A whole number with the locale's grouping, '0' when absent. */
export function formatCount(n, locale = undefined) {
  const v = Number(n);
  return (Number.isFinite(v) ? v : 0).toLocaleString(locale);
}

/** US dollars: four decimals under $0.10, else two; '$0.00' when absent. */
export function formatUsd(usd) {
  const n = Number(usd);
  if (!Number.isFinite(n) || n === 0) return '$0.00';
  return `$${n < 0.1 ? n.toFixed(4) : n.toFixed(2)}`;
}

/**
 * Today's usage as the lines the page shows: beats and model calls, tokens against the token
 * budget, cost against the cost budget (a budget that is not set is left out).
 */
export function usageLines(today, locale = undefined) {
  const t = today ?? {};
  const tokens = Number(t.inputTokens ?? 0) + Number(t.outputTokens ?? 0);
  const lines = [
    `${formatCount(t.beats, locale)} ${Number(t.beats) === 1 ? 'beat' : 'beats'}, ${formatCount(t.modelCalls, locale)} `
      + `${Number(t.modelCalls) === 1 ? 'model call' : 'model calls'}`,
    `${formatCount(tokens, locale)}${t.budgetTokens ? ` of ${formatCount(t.budgetTokens, locale)}` : ''} tokens `
      + `(${formatCount(t.inputTokens, locale)} in, ${formatCount(t.outputTokens, locale)} out)`,
    `${formatUsd(t.costUsd)}${t.budgetUsd ? ` of ${formatUsd(t.budgetUsd)}` : ''}`
  ];
  return lines;
}

/** The share of today's budget spent, 0..1 (the larger of tokens and cost; 0 without budgets). */
export function budgetShare(today) {
  const t = today ?? {};
  const tokens = Number(t.inputTokens ?? 0) + Number(t.outputTokens ?? 0);
  const shares = [];
  if (Number(t.budgetTokens) > 0) shares.push(tokens / Number(t.budgetTokens));
  if (Number(t.budgetUsd) > 0) shares.push(Number(t.costUsd ?? 0) / Number(t.budgetUsd));
  return shares.length ? Math.min(1, Math.max(...shares)) : 0;
}
