// Event strings come from whatever ran in a container: React escapes markup, and this makes the invisible visible.
// Control characters (a terminal escape, a newline in a table cell) and bidirectional overrides (which reorder the
// text around them, "Trojan Source") are shown as \u escapes instead of acting on the page.
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// For multi-line places (the drawer): tabs and newlines stay, every other invisible character is escaped.
export function visibleText(s: string): string {
  return s.replace(INVISIBLE, escape);
}

// For one-line places (a table cell): newlines and tabs are escaped too, and the text is cut at `max` characters
// (whole code points, so an emoji is never split) with an ellipsis.
export function oneLine(s: string, max = 240): string {
  const flat = visibleText(s).replace(/[\t\n]/g, escape);
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}
