// Word cloud: each person gives a few words; the room sees them sized by how often they came.
// Python: roundtable/polls/kinds.py WordCloud (renderer "cloud"; free text, safety-checked).
import { el } from "../live.js";
import { responsesText } from "../text.js";
import { totalLine } from "./drawing.js";
import { lazyWidget } from "./lazy-widget.js";
import { t } from "../i18n.js";

const WORD_MAX = 25; // WordCloud.MAX_WORD

// --- results: a stable layout ------------------------------------------------------------------
// Words keep the place where they first appeared (only their size changes), so the cloud
// does not jump on every update; new words join at the end.

function drawCloud(container, poll, tally) {
  let cloud = container.querySelector(".cloud");
  if (!cloud) {
    cloud = el("div", { class: "cloud", role: "list" });
    container.prepend(cloud);
  }
  const words = tally ? tally.words : [];
  const max = words.reduce((m, [, n]) => Math.max(m, n), 1);
  const seen = new Map(Array.from(cloud.children, (node) => [node.dataset.word, node]));
  for (const [word, count] of words) {
    let node = seen.get(word);
    if (!node) {
      node = el("span", { class: `cloud-word tone-${hash(word) % 6}`, role: "listitem", dataset: { word } });
      node.textContent = word;
      cloud.append(node);
    }
    seen.delete(word);
    // Size from 1x to 4x by share of the most frequent word (square root keeps small words readable).
    node.style.fontSize = `${(1 + 3 * Math.sqrt(count / max)).toFixed(2)}em`;
    node.dataset.count = String(count);
    node.title = `${count}`;
  }
  for (const gone of seen.values()) gone.remove(); // hidden by a moderator, or reset
  cloud.classList.toggle("empty", words.length === 0);
  totalLine(container, words.length ? responsesText(tally.total) : t("Waiting for the first words…"));
}

function hash(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h;
}

// The phone: the participant's own words stand out.
function markMyWords(box, answer) {
  const words = new Set(answer.words || []);
  for (const word of box.querySelectorAll(".cloud-word")) word.classList.toggle("mine", words.has(word.dataset.word));
}

export default {
  name: "wordcloud",
  label: "Word cloud",
  phoneLabel: t("Word cloud"),
  renderer: "cloud",
  draw: drawCloud,
  markMine: markMyWords,
  // The phone loads the answer widget when such a poll shows (kinds/lazy-widget.js).
  widget: lazyWidget(() => import("./free-text.js"), "FreeTextWidget", { multiline: false, max: WORD_MAX, limit: [3, 3] }),
};
