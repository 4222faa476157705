/**
 * Search hits as the Memory view shows them. Pure functions (unit-tested directly).
 *
 * A hit's snippet comes HTML-escaped from memory-service with the matched terms in <mark>; it is
 * shown as text runs, marked or not, never as HTML.
 */
import { dayOf } from './timeline.js';

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&amp;': '&' };

/** The snippet as [{text, mark}] runs, its entities decoded; anything but <mark> stays text. */
export function snippetRuns(snippet) {
  const runs = [];
  let mark = false;
  for (const part of String(snippet ?? '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') mark = true;
    else if (part === '</mark>') mark = false;
    else if (part) runs.push({ text: part.replace(/&(lt|gt|quot|amp|#x27|#39);/g, (e) => ENTITIES[e]), mark });
  }
  return runs;
}

/** The day ('YYYY-MM-DD', the owner's zone) a hit zooms to: the day it was written (a summary: its period's first). */
export function hitDay(hit, timeZone) {
  return dayOf(hit.date, timeZone);
}

/** What a hit is, in words: "You", "Assistant", "Decision", "Daily summary", ... */
export function hitLabel(hit) {
  const word = (s) => (s ? s.charAt(0) + s.slice(1).toLowerCase() : '');
  if (hit.kind === 'MESSAGE') return hit.role === 'USER' ? 'You' : hit.role === 'ASSISTANT' ? 'Assistant' : word(hit.role);
  if (hit.kind === 'SUMMARY') return `${word(hit.sub) || 'Period'} summary`;
  return word(hit.sub) || 'Memory';
}
