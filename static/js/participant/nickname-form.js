// The quiz leaderboard's nickname form (loaded on demand by nickname.js): one per quiz card,
// saved with nickname:set, remembered in this browser.
import { el } from "../live.js";
import { tidy } from "../text.js";
import { phone } from "./state.js";
import { t } from "../i18n.js";

const NICKNAME_MAX = 20; // roundtable/polls/service.py NICKNAME_MAX
const NICKNAME_ERRORS = {
  nickname_refused: t("Please choose another nickname."),
  too_long: t("A nickname can be at most %(max)s characters.", { max: NICKNAME_MAX }),
  rate_limited: t("Too many changes at once. Wait a moment and try again."),
};

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
      placeholder: t("e.g. Simba"),
      autocomplete: "off",
      autocapitalize: "words",
      enterkeyhint: "done",
      "aria-describedby": `${inputId}-note`,
      oninput: () => {
        this.errorText = "";
        this.error.hidden = true;
      },
    });
    this.save = el("button", { type: "submit", class: "button secondary nickname-save", "data-testid": "nickname-save", text: t("Save") });
    this.cancel = el("button", {
      type: "button",
      class: "link-button nickname-cancel",
      text: t("Cancel"),
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
      el("label", { class: "nickname-label", for: inputId }, t("Nickname for the leaderboard "), el("span", { class: "optional", text: t("(optional)") })),
      el("div", { class: "nickname-row" }, this.input, this.save),
      el("p", {
        class: "nickname-note",
        id: `${inputId}-note`,
        text: t("Only your nickname and how many answers you got right are shown. Leave it empty to stay off the board."),
      }),
      this.error,
      this.cancel,
    );
    this.name = el("strong", { "data-testid": "nickname-current" });
    this.summary = el(
      "p",
      { class: "nickname-summary" },
      el("span", { class: "nickname-badge", "aria-hidden": "true", text: "★" }),
      el("span", { class: "nickname-summary-text" }, t("On the leaderboard as "), this.name),
      el("button", {
        type: "button",
        class: "link-button nickname-change",
        "data-testid": "nickname-change",
        text: t("Change"),
        onclick: () => {
          this.editing = true;
          this.input.value = phone.state.nickname || "";
          this.render();
          this.input.focus();
        },
      }),
    );
    this.root = el("section", { class: "nickname", "data-testid": `nickname-${card.id}`, "aria-label": t("Leaderboard nickname") }, this.summary, this.form);
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
    this.save.textContent = this.saving ? t("Saving…") : t("Save");
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
        this.errorText = NICKNAME_ERRORS[error.code] || error.message || t("Your nickname could not be saved. Please try again.");
      }
      phone.renderPolls();
      for (const card of phone.cards.values()) card.renderResults(card.poll); // mark "You" on the board
    });
  }
}
