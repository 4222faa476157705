import { describe, expect, it } from 'vitest';
import { budgetShare, formatUsd, outcomeLabel, usageLines } from './heartbeat.js';

describe('heartbeat usage', () => {
  it('shows today\'s beats, tokens and cost against the budget', () => {
    const today = { beats: 12, modelCalls: 1, inputTokens: 1800, outputTokens: 6, costUsd: 0.0021, budgetTokens: 200000,
      budgetUsd: 0.5 };
    expect(usageLines(today, 'en-US')).toEqual(['12 beats, 1 model call', '1,806 of 200,000 tokens (1,800 in, 6 out)',
      '$0.0021 of $0.50']);
    expect(usageLines({ beats: 1, modelCalls: 0 }, 'en-US')).toEqual(['1 beat, 0 model calls', '0 tokens (0 in, 0 out)',
      '$0.00']);
    expect(usageLines(null, 'en-US')[0]).toBe('0 beats, 0 model calls');
  });

  it('measures the budget spent by the larger share, capped at all of it', () => {
    expect(budgetShare({ inputTokens: 50000, outputTokens: 0, budgetTokens: 200000, costUsd: 0.25, budgetUsd: 0.5 })).toBe(0.5);
    expect(budgetShare({ inputTokens: 300000, budgetTokens: 200000 })).toBe(1);
    expect(budgetShare({ inputTokens: 10 })).toBe(0);
  });

  it('names outcomes and formats dollars', () => {
    expect(outcomeLabel('SILENT')).toBe('nothing to say');
    expect(outcomeLabel('BUDGET_SPENT')).toBe('budget spent');
    expect(outcomeLabel('SOMETHING_NEW')).toBe('something_new');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(1.5)).toBe('$1.50');
    expect(formatUsd(null)).toBe('$0.00');
  });
});
