// The results part of a phone's poll card: drawn by the poll's kind (results.js) once this phone
// may see them, with the participant's own answer marked, a revealed quiz's verdict and the
// leaderboard's "You".
import { el } from "../live.js";
import { renderResults } from "../results.js";
import { kindOf } from "../kinds/index.js";
import { chosenIds } from "../kinds/answers.js";
import { drawPhoneSplit } from "../phone-split.js";
import { heldSet, leaderboardOffered, phone, pruneHeld, resultsAllowed } from "./state.js";
import { t } from "../i18n.js";

const { state } = phone;

export function renderCardResults(card, poll) {
  const tally = state.tallies.get(poll.id);
  const show = resultsAllowed(poll) && tally && (tally.generation ?? 0) >= (poll.generation ?? 0);
  renderVerdict(card, poll, show ? tally : null);
  if (!show) {
    card.results.remove();
    return;
  }
  if (!card.results.isConnected) card.root.append(card.results);
  const heldBefore = heldSet(poll).size;
  pruneHeld(poll, tally);
  renderResults(card.barsBox, poll, tally);
  drawPhoneSplit(card.results, poll); // the projector's split by group, when it shows one
  // Mark the participant's own answer in the results, so they read as "you and the room".
  const kind = kindOf(poll.kind);
  if (kind && kind.markMine) kind.markMine(card.barsBox, (state.answers.get(poll.id) || {}).answer || {});
  renderLeaderboard(card, poll, tally);
  // A moderator let some of this participant's words through: drop the "waiting" marks.
  if (card.widget && heldSet(poll).size !== heldBefore) card.widget.render(poll, card.widgetView(poll));
}

// The kind draws the board inside the results; give it this poll's test id, mark the
// participant's own row, and say so when nobody is on it yet.
function renderLeaderboard(card, poll, tally) {
  const board = card.barsBox.querySelector(".leaderboard");
  const offered = leaderboardOffered(poll) && Array.isArray(tally.leaderboard);
  if (board) {
    board.dataset.testid = `leaderboard-${card.id}`;
    // Equal counts share a place (1, 1, 3): the order among them is only alphabetical.
    const entries = tally.leaderboard || [];
    board.querySelectorAll("li").forEach((row, index) => {
      const correct = entries[index] ? entries[index].correct : null;
      let rank = index + 1;
      while (rank > 1 && entries[rank - 2] && entries[rank - 2].correct === correct) rank -= 1;
      row.dataset.rank = String(rank);
      const name = row.querySelector(".leaderboard-name");
      const mine = Boolean(state.nickname) && name && name.textContent === state.nickname;
      row.classList.toggle("mine", Boolean(mine));
      if (mine && !row.querySelector(".leaderboard-you")) name.after(el("span", { class: "leaderboard-you", text: "You" }));
    });
  }
  const empty = offered && !board;
  if (empty) {
    card.boardEmpty ||= el("p", {
      class: "leaderboard-empty",
      "data-testid": `leaderboard-${card.id}`,
      text: t("Leaderboard: nobody is on it yet. Choose a nickname above to take part."),
    });
    if (!card.boardEmpty.isConnected) card.results.append(card.boardEmpty);
  } else if (card.boardEmpty) card.boardEmpty.remove();
}

// Quiz, after the reveal (the tally then names the correct option): mark the correct option
// and tell the participant whether they got it right. No scores, no speed.
function renderVerdict(card, poll, tally) {
  const correct = tally && tally.correct_option != null ? tally.correct_option : null;
  const mine = chosenIds((state.answers.get(poll.id) || {}).answer)[0];
  const widget = card.widget;
  if (widget && widget.markCorrect) widget.markCorrect(correct, mine);
  if (correct === null || !widget || !widget.markCorrect) {
    card.verdict.remove();
    return;
  }
  const option = poll.options.find((o) => o.id === correct);
  const right = mine === correct;
  // Rebuild only when something changed: the verdict is a live region.
  const key = JSON.stringify([correct, mine, tally.correct_share, option && option.label]);
  if (key !== card.verdictKey) {
    card.verdictKey = key;
    fillVerdict(card.verdict, option, right, mine, tally);
  }
  if (card.verdict.previousElementSibling !== card.submit) card.submit.after(card.verdict);
}

function fillVerdict(verdict, option, right, mine, tally) {
  verdict.className = `quiz-verdict ${right ? "is-right" : mine === undefined ? "is-none" : "is-wrong"}`;
  verdict.replaceChildren(
    el("span", { class: "verdict-icon", "aria-hidden": "true", text: right ? "✓" : mine === undefined ? "i" : "✕" }),
    el("div", { class: "verdict-text" },
      el("p", { class: "verdict-title", text: right ? t("You got it right") : t("The answer was %(answer)s", { answer: option ? option.label : "…" }) }),
      el("p", {
        class: "verdict-sub",
        text: right
          ? t("%(share)s%% of the room got it right.", { share: tally.correct_share })
          : (mine === undefined ? t("You didn't answer. ") : "") + t("%(share)s%% of the room got it right.", { share: tally.correct_share }),
      })),
  );
}
