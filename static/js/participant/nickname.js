// The quiz leaderboard's nickname: optional, self-chosen, one per participant and shared by every
// quiz card (each card has its own form, under its answers). Never offered to a child.
import { el } from "../live.js";
import { tidy } from "../text.js";
import { leaderboardOffered, phone, resultsAllowed } from "./state.js";

const NICKNAME_MAX = 20; // roundtable/polls/service.py NICKNAME_MAX
const NICKNAME_ERRORS = {
  nickname_refused: "Please choose another nickname.",
  too_long: `A nickname can be at most ${NICKNAME_MAX} characters.`,
  rate_limited: "Too many changes at once. Wait a moment and try again.",
};

export function loadNickname() {
  try {
    phone.state.nickname = localStorage.getItem(phone.keys.nickname) || null;
  } catch {
    phone.state.nickname = null;
  }
}

export class NicknameForm {
  constructor(card) {
    this.card = card;
    this.editing = false;
    this.saving = false;
    this.errorText = "";
    const inputId = `nickname-${card.id}`;
    this.input = el("input", {
      id: inputId,
      type: "text",
      class: "word-input nickname-input",
      "data-testid": "nickname-input",
      maxlength: String(NICKNAME_MAX),
      placeholder: "e.g. Simba",
      autocomplete: "off",
      autocapitalize: "words",
      enterkeyhint: "done",
      "aria-describedby": `${inputId}-note`,
      oninput: () => {
        this.errorText = "";
        this.error.hidden = true;
      },
    });
    this.save = el("button", { type: "submit", class: "button secondary nickname-save", "data-testid": "nickname-save", text: "Save" });
    this.cancel = el("button", {
      type: "button",
      class: "link-button nickname-cancel",
      text: "Cancel",
      onclick: () => {
        this.editing = false;
        this.errorText = "";
        this.render();
      },
    });
    this.error = el("p", { class: "nickname-error", role: "alert", "data-testid": "nickname-error" });
    this.form = el(
      "form",
      { class: "nickname-form", novalidate: true, onsubmit: (event) => { event.preventDefault(); this.submit(); } },
      el("label", { class: "nickname-label", for: inputId }, "Nickname for the leaderboard ", el("span", { class: "optional", text: "(optional)" })),
      el("div", { class: "nickname-row" }, this.input, this.save),
      el("p", {
        class: "nickname-note",
        id: `${inputId}-note`,
        text: "Only your nickname and how many answers you got right are shown. Leave it empty to stay off the board.",
      }),
      this.error,
      this.cancel,
    );
    this.name = el("strong", { "data-testid": "nickname-current" });
    this.summary = el(
      "p",
      { class: "nickname-summary" },
      el("span", { class: "nickname-badge", "aria-hidden": "true", text: "★" }),
      el("span", { class: "nickname-summary-text" }, "On the leaderboard as ", this.name),
      el("button", {
        type: "button",
        class: "link-button nickname-change",
        "data-testid": "nickname-change",
        text: "Change",
        onclick: () => {
          this.editing = true;
          this.input.value = phone.state.nickname || "";
          this.render();
          this.input.focus();
        },
      }),
    );
    this.root = el("section", { class: "nickname", "data-testid": `nickname-${card.id}`, "aria-label": "Leaderboard nickname" }, this.summary, this.form);
  }

  render() {
    const saved = phone.state.nickname;
    const editing = this.editing || !saved;
    this.root.classList.toggle("is-saved", !editing);
    this.summary.hidden = editing;
    this.form.hidden = !editing;
    if (!editing) this.name.textContent = saved;
    this.cancel.hidden = !saved;
    this.input.disabled = this.saving;
    this.save.disabled = this.saving;
    this.save.textContent = this.saving ? "Saving…" : "Save";
    this.error.textContent = this.errorText || "";
    this.error.hidden = !this.errorText;
    // Right under the answers and the receipt, above the results and the board itself.
    const status = this.card.status;
    if (status.nextElementSibling !== this.root) status.after(this.root);
  }

  submit() {
    if (this.saving) return;
    const nickname = tidy(this.input.value);
    this.saving = true;
    this.errorText = "";
    phone.renderPolls();
    phone.client.request("nickname:set", { nickname }, { retry: true }).then((reply) => {
      this.saving = false;
      if (reply && reply.ok) {
        phone.state.nickname = reply.nickname || null;
        try {
          if (phone.state.nickname) localStorage.setItem(phone.keys.nickname, phone.state.nickname);
          else localStorage.removeItem(phone.keys.nickname);
        } catch {
          // Storage unavailable: the nickname is still saved on the server.
        }
        for (const card of phone.cards.values()) if (card.nick) card.nick.editing = false;
        if (!phone.state.nickname) this.input.value = "";
      } else {
        const error = (reply && reply.error) || {};
        this.errorText = NICKNAME_ERRORS[error.code] || error.message || "Your nickname could not be saved. Please try again.";
      }
      phone.renderPolls();
      for (const card of phone.cards.values()) card.renderResults(card.poll); // mark "You" on the board
    });
  }
}

// Show the card's nickname form where a leaderboard is offered (open, or with results shown).
export function renderNickname(card, poll) {
  const show = leaderboardOffered(poll) && (poll.status === "open" || resultsAllowed(poll));
  if (!show) {
    if (card.nick) card.nick.root.remove();
    return;
  }
  card.nick ||= new NicknameForm(card);
  card.nick.render();
}
