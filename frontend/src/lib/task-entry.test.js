import { describe, expect, it } from 'vitest';
import { isTaskEntry } from './task-entry.js';

describe('isTaskEntry', () => {
  it('tells a task entry from a failed turn', () => {
    expect(isTaskEntry({ role: 'SYSTEM', text: 'Task "Count" (96c60655-77d0-41ee-b249-7e35ebae3fd8) succeeded:\n12' })).toBe(true);
    expect(isTaskEntry({ role: 'SYSTEM', text: 'The turn failed (API_ERROR): overloaded' })).toBe(false);
    expect(isTaskEntry({ role: 'ASSISTANT', text: 'Task "Count" (96c60655-77d0-41ee-b249-7e35ebae3fd8) done' })).toBe(false);
  });
});
