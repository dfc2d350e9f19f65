// Quiz, the console's part (kinds/staff/index.js adds it to kinds/quiz.js).
import { el, percent } from "../../live.js";
import { t } from "../../i18n.js";

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
  note.textContent = t("%(share)s%% chose the correct answer · only you see this until you reveal it", { share: percent(right, tally.total) });
}

// --- the editor: the leaderboard switch -----------------------------------------------------------

const LEADERBOARD_HELP = "Participants who answer right can appear under a nickname they choose. No speed scoring.";

function leaderboardBlock() {
  return [
    el("label", { class: "check", "data-role": "leaderboard-check" },
      el("input", { type: "checkbox", name: "leaderboard", "data-testid": "poll-leaderboard" }),
      el("span", {},
        el("span", { class: "check-title", text: t("Leaderboard of nicknames") }),
        el("span", { class: "check-help", "data-role": "leaderboard-help", text: LEADERBOARD_HELP }))),
  ];
}

const childrenIn = (item) => Boolean(item && (item.involves_children || item.children_led));

export default {
  label: t("Quiz"), // the console's, in its language (kinds/quiz.js keeps the English one)
  help: t("One right answer, shown when you reveal it"),
  icon: "kindQuiz",
  hasOptions: true,
  hasCorrect: true, // one option is marked correct in the editor
  maxOptions: 12,
  summary: (poll) => ((poll.settings || {}).leaderboard ? t("Quiz · leaderboard") : t("Quiz")),
  describe: () => "",
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
        ? t("Not available: children take part in this session, so no names or nicknames go on screen.")
        : LEADERBOARD_HELP;
    },
    collect: (f, { item }) => ({ value: { leaderboard: f.leaderboard.checked && !childrenIn(item) } }),
  },
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint: () => "",
};
