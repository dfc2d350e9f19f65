// The quiz leaderboard's nickname: optional, self-chosen, one per participant and shared by every
// quiz card (each card has its own form, under its answers). Never offered to a child.
// The form itself (nickname-form.js) loads on demand: only a quiz with a leaderboard needs it.
import { leaderboardOffered, phone, resultsAllowed } from "./state.js";

export function loadNickname() {
  try {
    phone.state.nickname = localStorage.getItem(phone.keys.nickname) || null;
  } catch {
    phone.state.nickname = null;
  }
}

// Show the card's nickname form where a leaderboard is offered (open, or with results shown).
// The first such card fetches the form's module, then every card is drawn again.
let formModule = null;
let loading = null;

export function renderNickname(card, poll) {
  const show = leaderboardOffered(poll) && (poll.status === "open" || resultsAllowed(poll));
  if (!show) {
    if (card.nick) card.nick.root.remove();
    return;
  }
  if (!formModule) {
    loading ||= import("./nickname-form.js").then(
      (module) => {
        formModule = module;
        phone.renderPolls();
      },
      () => {
        loading = null; // offline for a moment: the next drawing tries again
      },
    );
    return;
  }
  card.nick ||= new formModule.NicknameForm(card);
  card.nick.render();
}
