// Small text helpers shared by every page: counts, times and dates, tidy input, in-place text.

// "1 poll", "3 polls"; `many` for irregular plurals ("entry", "entries").
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// "1 response", "12 responses".
export function responsesText(n) {
  return plural(n, "response");
}

// An agenda item's "09:00–09:30", or whichever end it has.
export function timeRange(item) {
  if (!item) return "";
  if (item.starts_at && item.ends_at) return `${item.starts_at}–${item.ends_at}`;
  return item.starts_at || item.ends_at || "";
}

const DATE_STYLES = {
  short: { weekday: "short", day: "numeric", month: "short" }, // "Tue 1 Dec"
  day: { weekday: "long", day: "numeric", month: "long" }, // "Tuesday 1 December"
  long: { weekday: "long", day: "numeric", month: "long", year: "numeric" }, // "... 2026"
};

// A calendar date ("2026-12-01") in British English, read at noon UTC so no time zone moves it.
export function formatDate(iso, style = "short") {
  if (!iso) return "";
  const date = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat("en-GB", { ...DATE_STYLES[style], timeZone: "UTC" }).format(date);
}

// The server folds spacing (and, for words, case): do the spacing here too, so that the text
// compared with the stored one and sent is the one the server will keep.
export const tidy = (text) => String(text || "").split(/\s+/).filter(Boolean).join(" ");

// Set a node's text only when it differs (no needless layout, no live-region chatter).
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// Whether a poll's question already says something ("choose", "order", ...), as whole words.
export function questionSays(poll, words) {
  return new RegExp(`\\b(${words})\\b`, "i").test(poll.question);
}

// A small counter under a text field: "12/280", amber near the end, red at the end.
export function updateCounter(counter, used, max, near = 20) {
  setText(counter, `${used}/${max}`);
  counter.classList.toggle("near", used >= max - near);
  counter.classList.toggle("full", used >= max);
}
