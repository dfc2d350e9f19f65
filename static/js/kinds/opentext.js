// Open text: short written answers, shown to the room as a wall of cards.
// Python: roundtable/polls/kinds.py OpenText (renderer "wall"; free text, safety-checked).
import { el } from "../live.js";
import { plural } from "../text.js";
import { totalLine } from "./drawing.js";
import { FreeTextWidget } from "./free-text.js";

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
  totalLine(container, shown ? `${shown} ${shown === 1 ? "answer" : "answers"}` : "Waiting for answers…");
}

// The phone: the participant's own answers stand out.
function markMyTexts(box, answer) {
  const texts = new Set(answer.texts || []);
  for (const card of box.querySelectorAll(".wall-card")) card.classList.toggle("mine", texts.has(card.textContent));
}

function answersBlock() {
  return [
    el("div", { class: "field narrow-field" },
      el("label", { class: "field-label", for: "poll-max-answers", text: "Answers per person" }),
      el("select", { id: "poll-max-answers", name: "max_answers", "data-testid": "poll-max-answers" },
        [1, 2, 3, 4, 5].map((n) => el("option", { value: String(n), text: n === 1 ? "1 answer" : `Up to ${n} answers` })))),
  ];
}

export default {
  name: "opentext",
  label: "Open text",
  phoneLabel: "Open question",
  help: "Short written answers on a wall",
  icon: "kindText",
  renderer: "wall",
  hasOptions: false,
  freeText: true,
  nouns: ["answer", "answers"],
  premoderateTitle: "Hold every answer for a moderator",
  summary(poll) {
    const most = (poll.settings || {}).max_answers;
    return most > 1 ? `Open text · up to ${most} answers` : "Open text";
  },
  describe(poll) {
    return `Each person writes up to ${plural((poll.settings || {}).max_answers || 1, "short answer")}.`;
  },
  screenHint: () => "",
  draw: drawWall,
  markMine: markMyTexts,
  widget: (ctx) => new FreeTextWidget(ctx, { multiline: true, max: TEXT_MAX, limit: [5, 1] }),
  editor: {
    block: answersBlock,
    fill(f, poll) {
      f.max_answers.value = String(((poll && poll.settings) || {}).max_answers || 1);
    },
    collect: (f) => ({ value: { max_answers: Number(f.max_answers.value), premoderate: f.premoderate.checked } }),
  },
};
