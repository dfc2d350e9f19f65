// Open text: short written answers, shown to the room as a wall of cards.
// Python: roundtable/polls/kinds.py OpenText (renderer "wall"; free text, safety-checked).
// The console's part (editor, summary): kinds/staff/opentext.js.
import { el } from "../live.js";
import { totalLine } from "./drawing.js";
import { lazyWidget } from "./lazy-widget.js";
import { t, tn } from "../i18n.js";

const TEXT_MAX = 280; // OpenText.MAX_TEXT

// Results: the approved answers, each a card; cards stay put as new ones arrive.
function drawWall(container, poll, tally) {
  let wall = container.querySelector(".wall");
  if (!wall) {
    wall = el("ul", { class: "wall" });
    container.prepend(wall);
  }
  const answers = tally ? tally.answers : [];
  const existing = new Map(Array.from(wall.children, (node) => [node.dataset.id, node]));
  const fresh = [];
  for (const answer of answers) {
    let node = existing.get(String(answer.id));
    if (!node) node = el("li", { class: "wall-card", dataset: { id: String(answer.id) }, text: answer.text });
    existing.delete(String(answer.id));
    fresh.push(node);
  }
  for (const gone of existing.values()) gone.remove();
  wall.replaceChildren(...fresh);
  const shown = tally ? tally.shown : 0;
  totalLine(container, shown ? tn("%(num)s answer", "%(num)s answers", shown) : t("Waiting for answers…"));
}

// The phone: the participant's own answers stand out.
function markMyTexts(box, answer) {
  const texts = new Set(answer.texts || []);
  for (const card of box.querySelectorAll(".wall-card")) card.classList.toggle("mine", texts.has(card.textContent));
}

export default {
  name: "opentext",
  label: "Open text",
  phoneLabel: t("Open question"),
  renderer: "wall",
  draw: drawWall,
  markMine: markMyTexts,
  // The phone loads the answer widget when such a poll shows (kinds/lazy-widget.js).
  widget: lazyWidget(() => import("./free-text.js"), "FreeTextWidget", { multiline: true, max: TEXT_MAX, limit: [5, 1] }),
};
