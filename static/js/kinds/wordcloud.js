// Word cloud: each person gives a few words; the room sees them sized by how often they came.
// Python: roundtable/polls/kinds.py WordCloud (renderer "cloud"; free text, safety-checked).
import { el } from "../live.js";
import { questionSays, responsesText } from "../text.js";
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

// --- the projector: the cloud fits the screen ------------------------------------------------------
// Whatever the number of words: find the largest base size at which it fits, on an invisible
// copy (the real words keep their size transition), then apply it.
const CLOUD_REM = { min: 1.25, max: 3 };

function fitCloud(chart) {
  const cloud = chart.querySelector(".cloud");
  if (!cloud || cloud.classList.contains("empty")) return;
  const style = getComputedStyle(chart);
  const room = chart.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const probe = cloud.cloneNode(true);
  probe.classList.add("cloud-probe");
  probe.style.width = `${cloud.clientWidth}px`;
  chart.append(probe);
  let low = CLOUD_REM.min;
  let high = CLOUD_REM.max;
  probe.style.fontSize = `${high}rem`;
  if (probe.offsetHeight <= room) {
    low = high;
  } else {
    for (let i = 0; i < 7; i++) {
      const mid = (low + high) / 2;
      probe.style.fontSize = `${mid}rem`;
      if (probe.offsetHeight <= room) low = mid;
      else high = mid;
    }
  }
  probe.remove();
  cloud.style.fontSize = `${low.toFixed(3)}rem`;
}

export default {
  name: "wordcloud",
  label: "Word cloud",
  phoneLabel: t("Word cloud"),
  renderer: "cloud",
  screenHint(poll) {
    if (questionSays(poll, "words?")) return "";
    const most = Number((poll.settings || {}).max_words) || 1;
    return most > 1 ? t("Up to %(max)s words", { max: most }) : t("One word");
  },
  draw: drawCloud,
  fitScreen: fitCloud,
  markMine: markMyWords,
  // The phone loads the answer widget when such a poll shows (kinds/lazy-widget.js).
  widget: lazyWidget(() => import("./free-text.js"), "FreeTextWidget", { multiline: false, max: WORD_MAX, limit: [3, 3] }),
};
