// The "try a text" box of the safety lists page: sends the text and the lists as they are in the
// form (saved or not) to the server, and shows what would be flagged and why, with the flagged
// parts marked in the text. Text is only ever inserted with textContent.

const tryUrl = document.body.dataset.tryUrl;
const csrf = document.querySelector('input[name="csrf_token"]').value;
const input = document.getElementById('try-text');
const button = document.querySelector('[data-testid="try-run"]');
const out = document.querySelector('[data-testid="try-result"]');

function lists() {
  const data = {};
  for (const area of document.querySelectorAll('textarea[data-list]')) {
    data[area.dataset.list] = area.value.split('\n').map((s) => s.trim()).filter(Boolean);
  }
  return data;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The text with each finding's span in a <mark> (overlapping spans merged, first category wins).
export function markedText(text, findings) {
  const box = el('div', 'try-text');
  const spans = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let pos = 0;
  for (const f of spans) {
    if (f.end <= pos) continue;
    const start = Math.max(f.start, pos);
    if (start > pos) box.append(document.createTextNode(text.slice(pos, start)));
    const mark = el('mark', `flag flag-${f.category}`, text.slice(start, f.end));
    mark.title = f.reason;
    box.append(mark);
    pos = f.end;
  }
  if (pos < text.length) box.append(document.createTextNode(text.slice(pos)));
  return box;
}

function show(text, result) {
  out.replaceChildren();
  if (!result.ok) {
    out.append(el('p', 'notice error', result.error?.message || 'That did not work.'));
    return;
  }
  const verdict = result.flagged
    ? `Would be held for a moderator: ${result.categories.map((c) => result.labels[c] || c).join(', ')}`
    : 'Nothing would be flagged: this text would pass.';
  out.append(el('p', `try-verdict ${result.flagged ? 'flagged' : 'clean'}`, verdict));
  out.dataset.categories = result.categories.join(' ');
  if (!result.flagged) return;
  out.append(markedText(text, result.findings));
  const list = el('ul', 'try-findings');
  for (const f of result.findings) {
    const li = el('li');
    li.append(el('span', `cat-chip cat-${f.category}`, result.labels[f.category] || f.category));
    li.append(el('strong', '', `“${f.match}”`));
    li.append(el('span', 'muted', f.reason));
    list.append(li);
  }
  out.append(list);
}

async function run() {
  const text = input.value;
  if (!text.trim()) return;
  button.disabled = true;
  try {
    const response = await fetch(tryUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify({ text, lists: lists() }),
      credentials: 'same-origin',
    });
    show(text, await response.json());
  } catch {
    show(text, { ok: false, error: { message: 'Could not reach the server: try again.' } });
  } finally {
    button.disabled = false;
  }
}

button.addEventListener('click', run);
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run();
});
