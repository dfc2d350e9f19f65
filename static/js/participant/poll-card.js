// One poll on the phone: a card updated in place, so a new state never resets focus, selections
// or the result bars' animation. The answer area is the poll kind's widget (kinds/*.js); this
// card owns what every kind shares: the vote path's status (sending, the receipt, errors), the
// Submit button, the change note, the nickname of a quiz leaderboard and the results.
import { el } from "../live.js";
import { kindOf } from "../kinds/index.js";
import { answerKey } from "../kinds/answers.js";
import { announce } from "./announcer.js";
import { renderCardResults } from "./card-results.js";
import { renderNickname } from "./nickname.js";
import { heldSet, phone, resultsAllowed } from "./state.js";
import { sendVote } from "./votes.js";
import { t } from "../i18n.js";

const { state } = phone;

export class PollCard {
  constructor(poll) {
    const id = poll.id;
    this.id = id;
    this.poll = poll;
    this.justConfirmed = false;
    this.widget = null; // the answer widget of the poll's kind
    this.widgetKind = null;
    this.nick = null; // the leaderboard nickname form (nickname.js), for a quiz that offers one

    this.kindChip = el("span", { class: "chip" });
    this.stateChip = el("span", { class: "chip", "data-testid": `poll-status-${id}` });
    this.question = el("h2", { class: "poll-question", id: `poll-q-${id}` });
    this.hint = el("p", { class: "poll-hint", id: `poll-hint-${id}`, "data-testid": `hint-${id}` });
    this.submit = el("button", {
      type: "button",
      class: "button primary big submit",
      "data-testid": `submit-${id}`,
      onclick: () => this.onSubmit(),
    });
    // Not a live region itself: "Vote received" is said through the page's announcer.
    this.status = el("div", { class: "poll-status" });
    this.receipt = el(
      "p",
      { class: "receipt", "data-testid": `receipt-${id}` },
      el("span", { class: "receipt-tick", "aria-hidden": "true", text: "✓" }),
      el("span", { text: t("Vote received") }),
      el("span", { class: "sr-only", text: " ✓" }),
    );
    this.changeNote = el("p", { class: "change-note", "data-testid": `change-note-${id}` });
    // Quiz, once revealed: whether this participant got it right.
    this.verdict = el("div", { class: "quiz-verdict", role: "status", "data-testid": `quiz-verdict-${id}` });
    this.barsBox = el("div", { class: "results-bars" });
    this.results = el(
      "section",
      { class: "poll-results", "data-testid": `results-${id}`, "aria-label": "Results" },
      el("h3", { class: "results-title", text: t("Results") }),
      this.barsBox,
    );
    this.root = el(
      "article",
      { class: "poll-card", "data-testid": `poll-${id}`, dataset: { pollId: String(id) } },
      el("div", { class: "poll-meta" }, this.kindChip, this.stateChip),
      this.question,
      this.hint,
      this.submit,
      this.status,
      this.changeNote,
    );
  }

  canChange() {
    const poll = this.poll;
    if (poll.status !== "open" || state.pending.has(this.id)) return false;
    return !state.answers.has(this.id) || poll.allow_change;
  }

  update(poll) {
    this.poll = poll;
    const id = this.id;
    const open = poll.status === "open";
    const pending = state.pending.get(id);
    const confirmed = state.answers.get(id);
    const note = state.notes.get(id);
    const canChange = this.canChange();
    const kind = kindOf(poll.kind);

    this.root.classList.toggle("is-closed", !open);
    this.root.dataset.kind = poll.kind;
    this.kindChip.textContent = kind ? kind.phoneLabel : t("Question");
    this.stateChip.textContent = open ? t("Open") : t("Voting closed");
    this.stateChip.className = `chip ${open ? "chip-open" : "chip-closed"}`;
    this.question.textContent = poll.question;

    if (!kind) {
      // A kind this page cannot answer yet: say so calmly, and still show results when allowed.
      this.setWidget(null, null);
      this.root.classList.remove("is-multiple");
      this.hint.textContent = open
        ? t("This kind of question can't be answered on this page yet. Please follow along on the screen.")
        : t("Voting closed");
      this.submit.hidden = true;
      this.status.replaceChildren();
      this.changeNote.remove();
      this.renderResults(poll);
      return;
    }

    const widget = this.widgetFor(kind);
    this.root.classList.toggle("is-multiple", Boolean(widget.multiple));
    const view = this.widgetView(poll);
    widget.render(poll, view);
    // Closed without an answer from this phone: nothing to show but the results.
    if (!widget.keepWhenClosed) widget.node.hidden = !open && !confirmed && !pending;
    this.hint.textContent = open ? widget.hint(poll, view) : this.closedHint(poll);

    // Submit, for the kinds that take one (not single choice, quiz or rating, where one tap
    // votes): shown while an answer is being put together; enabled once it is complete and
    // differs from the stored one.
    const info = open ? widget.submitInfo(poll, view) : null;
    if (info) {
      const changed = Boolean(info.answer) && (!confirmed || answerKey(info.answer) !== answerKey(confirmed.answer));
      this.submit.hidden = !pending && !info.editing;
      this.submit.disabled = Boolean(pending) || !canChange || !changed;
      this.submit.textContent = pending ? t("Sending…") : confirmed ? t("Update answer") : t("Submit");
    } else {
      this.submit.hidden = true;
    }
    const slot = widget.submitSlot;
    if (slot) {
      if (this.submit.parentNode !== slot) slot.prepend(this.submit);
    } else if (this.submit.previousElementSibling !== widget.node) widget.node.after(this.submit);

    this.renderStatus({ pending, confirmed, note });
    this.renderChangeNote(poll, { open, confirmed });
    renderNickname(this, poll);
    this.renderResults(poll);
  }

  closedHint(poll) {
    const shown = resultsAllowed(poll) && state.tallies.has(poll.id);
    return shown ? t("Voting closed · results below") : t("Voting closed");
  }

  // --- the kind's answer widget ---

  widgetFor(kind) {
    if (kind.name !== this.widgetKind) this.setWidget(kind.name, kind.widget(this.widgetContext()));
    return this.widget;
  }

  // A facilitator may change the kind of a poll that has no answers yet.
  setWidget(name, widget) {
    if (this.widget) this.widget.node.remove();
    this.widgetKind = name;
    this.widget = widget;
    if (widget) this.hint.after(widget.node);
  }

  widgetContext() {
    return {
      id: this.id,
      vote: (answer) => {
        if (!this.canChange()) return;
        state.notes.delete(this.id);
        sendVote(this.poll, answer);
      },
      setDraft: (value) => {
        if (!this.canChange()) return;
        state.drafts.set(this.id, { ...value, kind: this.poll.kind, generation: this.poll.generation });
        state.notes.delete(this.id); // a fresh edit replaces the last error
        this.update(this.poll);
      },
      dropDraft: () => {
        state.drafts.delete(this.id);
        state.notes.delete(this.id);
        this.update(this.poll);
      },
      submit: () => this.onSubmit(),
      refresh: () => this.update(this.poll), // a widget that loaded late (kinds/lazy-widget.js)
    };
  }

  // What a widget draws from: answers in the vote payload's shape.
  widgetView(poll) {
    const open = poll.status === "open";
    const pending = state.pending.get(this.id);
    const confirmed = state.answers.get(this.id);
    const draft = state.drafts.get(this.id);
    return {
      open,
      canChange: this.canChange(),
      pending: pending ? pending.answer : null,
      confirmed: confirmed ? confirmed.answer : null,
      draft: open && draft && (!draft.kind || draft.kind === poll.kind) ? draft : null,
      held: heldSet(poll),
    };
  }

  onSubmit() {
    const widget = this.widget;
    if (!widget || !this.canChange()) return;
    const info = widget.submitInfo(this.poll, this.widgetView(this.poll));
    if (!info || !info.answer) return;
    // Put the phone keyboard away, so the receipt is in sight.
    if (widget.usesKeyboard !== false && this.root.contains(document.activeElement)) document.activeElement.blur();
    state.notes.delete(this.id);
    sendVote(this.poll, info.answer);
  }

  // --- what every kind shares ---

  renderChangeNote(poll, { open, confirmed }) {
    if (open && poll.allow_change) {
      this.changeNote.textContent = t("You can change your answer while the poll is open.");
      if (!this.changeNote.isConnected) this.root.append(this.changeNote);
    } else if (open && confirmed) {
      this.changeNote.textContent = t("This poll takes one answer per person.");
      if (!this.changeNote.isConnected) this.root.append(this.changeNote);
    } else {
      this.changeNote.remove();
    }
  }

  renderStatus({ pending, confirmed, note }) {
    const parts = [];
    if (pending) {
      const waiting = state.connection !== "online";
      parts.push(
        el(
          "p",
          { class: "sending-line", "data-testid": `sending-${this.id}` },
          el("span", { class: "spinner", "aria-hidden": "true" }),
          el("span", {
            text: waiting ? t("Waiting for the connection… your vote will be sent automatically.") : t("Sending…"),
          }),
        ),
      );
    } else if (confirmed) {
      // A confirmed answer: the ack said ok (or the snapshot listed it as stored).
      parts.push(this.receipt);
      this.receipt.classList.toggle("pop", this.justConfirmed);
      if (this.justConfirmed) announce("Vote received");
    }
    const reveal = this.justConfirmed;
    if (note && !pending) {
      parts.push(
        el("p", {
          class: note.kind === "error" ? "poll-error" : "poll-info",
          role: note.kind === "error" ? "alert" : null,
          "data-testid": `poll-error-${this.id}`,
          text: note.text,
        }),
      );
    }
    this.justConfirmed = false;
    // Replace only what changed, so the receipt's entrance animation plays once.
    const current = Array.from(this.status.children);
    if (current.length !== parts.length || current.some((node, i) => node !== parts[i])) {
      this.status.replaceChildren(...parts);
    }
    // Just confirmed but below the fold (long options on a small phone): bring the receipt up.
    if (reveal && this.receipt.isConnected) {
      const box = this.receipt.getBoundingClientRect();
      if (box.bottom > window.innerHeight || box.top < 56) {
        this.receipt.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    }
  }

  renderResults(poll) {
    renderCardResults(this, poll);
  }
}
