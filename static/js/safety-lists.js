// The "try a text" box of the safety lists page: sends the text and the lists as they are in the
// form (saved or not) to the server, and shows what would be flagged and why, with the flagged
// parts marked in the text. Text is only ever inserted with textContent (el() from live.js).
import { el } from "./live.js";
import { CATEGORY_LABELS, markedText } from "./moderation/safety.js";

const tryUrl = document.body.dataset.tryUrl;
const csrfToken = document.querySelector('input[name="csrf_token"]').value;
const tryInput = document.getElementById('try-text');
const tryButton = document.querySelector('[data-testid="try-run"]');
const tryOut = document.querySelector('[data-testid="try-result"]');

function listsInForm() {
  const data = {};
  for (const area of document.querySelectorAll('textarea[data-list]')) {
    data[area.dataset.list] = area.value.split('\n').map((s) => s.trim()).filter(Boolean);
  }
  return data;
}

function showResult(text, result) {
  tryOut.replaceChildren();
  if (!result.ok) {
    tryOut.append(el('p', { class: 'notice error', text: result.error?.message || 'That did not work.' }));
    return;
  }
  const verdict = result.flagged
    ? `Would be held for a moderator: ${result.categories.map((c) => CATEGORY_LABELS[c] || c).join(', ')}`
    : 'Nothing would be flagged: this text would pass.';
  tryOut.append(el('p', { class: `try-verdict ${result.flagged ? 'flagged' : 'clean'}`, text: verdict }));
  tryOut.dataset.categories = result.categories.join(' ');
  if (!result.flagged) return;
  tryOut.append(markedText(text, result.findings, { class: "try-text", "data-testid": "try-marked" }));
  const list = el('ul', { class: 'try-findings' });
  for (const f of result.findings) {
    list.append(el('li', {},
      el('span', { class: `cat-chip cat-${f.category}`, text: CATEGORY_LABELS[f.category] || f.category }),
      el('strong', { text: `“${f.match}”` }),
      el('span', { class: 'muted', text: f.reason })));
  }
  tryOut.append(list);
}

async function runTry() {
  const text = tryInput.value;
  if (!text.trim()) return;
  tryButton.disabled = true;
  try {
    const response = await fetch(tryUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrfToken },
      body: JSON.stringify({ text, lists: listsInForm() }),
      credentials: 'same-origin',
    });
    showResult(text, await response.json());
  } catch {
    showResult(text, { ok: false, error: { message: 'Could not reach the server: try again.' } });
  } finally {
    tryButton.disabled = false;
  }
}

tryButton.addEventListener('click', runTry);
tryInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) runTry();
});
