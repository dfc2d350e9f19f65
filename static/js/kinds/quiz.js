// Quiz: one right answer, revealed by the facilitator; an optional leaderboard of self-chosen
// nicknames by correct answers (never by speed, never in a session with children).
// Python: roundtable/polls/kinds.py Quiz. The console's part (answer key, editor): kinds/staff/quiz.js.
import { el } from "../live.js";
import { ChoiceWidget, drawChoiceBars, markChosen } from "./choice.js";
import { t } from "../i18n.js";

// --- results: bars, the share that got it right, the leaderboard -------------------------------

function drawQuiz(container, poll, tally) {
  drawChoiceBars(container, poll, tally);
  const note = container.querySelector(".quiz-note");
  if (tally && tally.correct_option) {
    const text = t("%(share)s%% answered correctly", { share: tally.correct_share });
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
      el("h4", { class: "leaderboard-title", text: t("Leaderboard") }), el("ol"));
    container.append(board);
  }
  board.querySelector("ol").replaceChildren(
    ...rows.map((row) =>
      el("li", {},
        el("span", { class: "leaderboard-name", text: row.nickname }),
        el("span", { class: "leaderboard-score", text: t("%(count)s correct", { count: row.correct }) }))),
  );
}

export default {
  name: "quiz",
  label: "Quiz",
  phoneLabel: t("Quiz"),
  renderer: "bars",
  draw: drawQuiz,
  markMine: markChosen,
  widget: (ctx) => new ChoiceWidget(ctx),
};
