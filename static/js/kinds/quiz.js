// Quiz: one right answer, revealed by the facilitator; an optional leaderboard of self-chosen
// nicknames by correct answers (never by speed, never in a session with children).
// Python: roundtable/polls/kinds.py Quiz.
import { el, percent } from "../live.js";
import { ChoiceWidget, drawChoiceBars, markChosen } from "./choice.js";

// --- results: bars, the share that got it right, the leaderboard -------------------------------

function drawQuiz(container, poll, tally) {
  drawChoiceBars(container, poll, tally);
  const note = container.querySelector(".quiz-note");
  if (tally && tally.correct_option) {
    const text = `${tally.correct_share}% answered correctly`;
    if (note) note.textContent = text;
    else container.append(el("p", { class: "quiz-note", text }));
  } else if (note) {
    note.remove();
  }
  drawLeaderboard(container, tally);
}

function drawLeaderboard(container, tally) {
  let board = container.querySelector(":scope > .leaderboard");
  const rows = (tally && tally.leaderboard) || [];
  if (!rows.length) {
    if (board) board.remove();
    return;
  }
  if (!board) {
    board = el("div", { class: "leaderboard", dataset: { testid: "leaderboard" } },
      el("h4", { class: "leaderboard-title", text: "Leaderboard" }), el("ol"));
    container.append(board);
  }
  board.querySelector("ol").replaceChildren(
    ...rows.map((row) =>
      el("li", {},
        el("span", { class: "leaderboard-name", text: row.nickname }),
        el("span", { class: "leaderboard-score", text: `${row.correct} correct` }))),
  );
}

// --- the console: the answer key, for staff eyes only until the reveal ----------------------------

function markAnswerKey(node, poll, tally) {
  const answer = poll.options.find((o) => o.correct);
  for (const row of node.querySelectorAll(".bar-row")) {
    row.classList.toggle("answer-key", !!answer && row.dataset.optionId === String(answer.id));
  }
  // Before the reveal the tally has no share correct: work it out here.
  let note = node.querySelector(":scope > .answer-share");
  const revealed = tally && tally.correct_option;
  if (!answer || revealed || !tally || !tally.total) {
    if (note) note.remove();
    return;
  }
  if (!note) {
    note = el("p", { class: "answer-share", "data-testid": `answer-share-${poll.id}` });
    node.append(note);
  }
  const right = tally.counts[String(answer.id)] || 0;
  note.textContent = `${percent(right, tally.total)}% chose the correct answer · only you see this until you reveal it`;
}

// --- the editor: the leaderboard switch -----------------------------------------------------------

const LEADERBOARD_HELP = "Participants who answer right can appear under a nickname they choose. No speed scoring.";

function leaderboardBlock() {
  return [
    el("label", { class: "check", "data-role": "leaderboard-check" },
      el("input", { type: "checkbox", name: "leaderboard", "data-testid": "poll-leaderboard" }),
      el("span", {},
        el("span", { class: "check-title", text: "Leaderboard of nicknames" }),
        el("span", { class: "check-help", "data-role": "leaderboard-help", text: LEADERBOARD_HELP }))),
  ];
}

const childrenIn = (item) => Boolean(item && (item.involves_children || item.children_led));

export default {
  name: "quiz",
  label: "Quiz",
  phoneLabel: "Quiz",
  help: "One right answer, shown when you reveal it",
  icon: "kindQuiz",
  renderer: "bars",
  hasOptions: true,
  hasCorrect: true, // one option is marked correct in the editor
  maxOptions: 12,
  summary: (poll) => ((poll.settings || {}).leaderboard ? "Quiz · leaderboard" : "Quiz"),
  describe: () => "",
  screenHint: () => "",
  draw: drawQuiz,
  markMine: markChosen,
  widget: (ctx) => new ChoiceWidget(ctx),
  staff: { decorate: markAnswerKey },
  editor: {
    block: leaderboardBlock,
    fill(f, poll) {
      f.leaderboard.checked = !!((poll && poll.settings) || {}).leaderboard;
    },
    // The leaderboard shows nicknames on the projector: never in a session with children.
    sync(f, item) {
      const children = childrenIn(item);
      const box = f.leaderboard;
      box.disabled = children;
      if (children) box.checked = false;
      box.closest('[data-role="leaderboard-check"]').classList.toggle("is-disabled", children);
      box.closest("label").querySelector('[data-role="leaderboard-help"]').textContent = children
        ? "Not available: children take part in this session, so no names or nicknames go on screen."
        : LEADERBOARD_HELP;
    },
    collect: (f, { item }) => ({ value: { leaderboard: f.leaderboard.checked && !childrenIn(item) } }),
  },
};
