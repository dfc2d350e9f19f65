// The phone's question wall and its private "I need help / report something" sheet.
//
// participant.js owns the socket (LiveClient) and the page layout; it hands this module every
// participant view (snapshot or "state"), the snapshot's own extras and the connection status,
// and forwards the wall's own messages (docs/socket-protocol.md, "Question wall"):
//   wall         {item_id, seq, questions, highlighted}   the live session's published and
//                                                         answered questions, most upvoted first
//   my_question  question                                 one of this participant's own questions
//                                                         changed status (a moderator acted)
// What the module keeps on top of them:
//   wall       the newest wall of the live session (by seq; one for another session is ignored)
//   mine       question id -> question   this participant's own questions, every status: from the
//                                        snapshot's my_questions, ask acks and my_question
//   upvoted    Set of question ids       from the snapshot's my_upvotes and upvote acks
//   upvoting   question id -> {up, was}  an upvote in flight: drawn at once, rolled back on error
//   asking     {client_id, text, name?, item_id}
//                                        a question sent but not yet acknowledged; mirrored in
//                                        sessionStorage so a reload resends it with the same
//                                        client_id (the server then answers duplicate: true)
// Nothing here ever shows anyone else's held question, a moderator's reason or a help request:
// the server never sends them to a phone. All text goes in with textContent (el() from live.js).

import { el, newClientId } from "./live.js";

export const QUESTION_MAX = 280; // roundtable/questions/models.py MAX_TEXT
export const NAME_MAX = 60; // MAX_NAME
export const HELP_MAX = 500; // MAX_HELP_MESSAGE
const MINE_FOLDED = 3; // own questions shown before "Show all"

// A question's status as its author reads it: plain words, never a reason.
export const STATUS_WORDS = {
  pending: "Waiting for a moderator",
  published: "Published",
  answered: "Answered",
  rejected: "Not published",
  archived: "Not published",
};

const ASK_ERRORS = {
  duplicate_question: "This question has already been asked in this session. Find it on the wall and upvote it.",
  too_long: `A question can be at most ${QUESTION_MAX} characters.`,
  empty_text: "Write your question first.",
  questions_closed: "Questions are closed for this session.",
  rate_limited: "You have asked several questions in a short time. Please wait a minute, then try again.",
};

const PUBLISHED = { kind: "published", title: "Your question is on the wall", text: "Others can now see it and upvote it." };

const UPVOTE_ERRORS = {
  unknown_question: "This question is no longer on the wall.",
  rate_limited: "Too many taps at once. Wait a moment and try again.",
};

const tidy = (text) => String(text || "").split(/\s+/).filter(Boolean).join(" ");

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function readStore(storage, key, fallback) {
  try {
    const raw = storage.getItem(key);
    return raw ? JSON.parse(raw) : fallback;
  } catch {
    return fallback;
  }
}

function writeStore(storage, key, value) {
  try {
    if (value === null || value === undefined) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or full storage: the in-memory state still works while the page stays open.
  }
}

// "just now", "4 min ago", "2 h ago", else the time of day. A phone's clock may be a little off
// from the server's: a time in the future reads as "just now".
export function timeAgo(iso, now = Date.now()) {
  const when = Date.parse(iso || "");
  if (Number.isNaN(when)) return "";
  const minutes = Math.floor((now - when) / 60000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 12 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return new Date(when).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function byRecent(a, b) {
  return (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0) || b.id - a.id;
}

// A small counter under a text field: "12/280", amber near the end, red at the end.
export function updateCounter(counter, used, max) {
  setText(counter, `${used}/${max}`);
  counter.classList.toggle("near", used >= max - 20);
  counter.classList.toggle("full", used >= max);
}

// Small line icons (24x24, drawn in currentColor), built as SVG elements: no markup strings.
const ICONS = {
  check: [["path", { d: "m5 12.5 4.5 4.5L19 7.5" }]],
  clock: [["circle", { cx: "12", cy: "12", r: "9" }], ["path", { d: "M12 7v5l3.5 2" }]],
  alert: [["path", { d: "M12 6.5v7" }], ["path", { d: "M12 17.5v.01" }]],
  info: [["path", { d: "M12 11v6" }], ["path", { d: "M12 7.5v.01" }]],
  lock: [["rect", { x: "5", y: "11", width: "14", height: "10", rx: "2" }], ["path", { d: "M8 11V8a4 4 0 0 1 8 0v3" }]],
  shield: [["path", { d: "M12 3 5 6v5.5c0 4.3 3 8 7 9.5 4-1.5 7-5.2 7-9.5V6z" }], ["path", { d: "m9 12 2 2 4-4" }]],
  upvote: [["path", { d: "M12 4.5 19 12.5h-4.2V19H9.2v-6.5H5z", fill: "currentColor" }]],
  bubble: [["path", { d: "M4 5.5h16v10.5H10l-4.5 3.5V16H4z" }]],
};
const SVG_NS = "http://www.w3.org/2000/svg";

export function icon(name, { stroke = 2, className = "icon" } = {}) {
  const svg = document.createElementNS(SVG_NS, "svg");
  const attrs = {
    class: className, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": String(stroke),
    "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false",
  };
  for (const [key, value] of Object.entries(attrs)) svg.setAttribute(key, value);
  for (const [tag, shapeAttrs] of ICONS[name] || []) {
    const shape = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(shapeAttrs)) shape.setAttribute(key, value);
    svg.append(shape);
  }
  return svg;
}

// The helpline as text, with each phone number ("116") made a link that calls it: on a phone,
// one tap. Only digits go into the link; everything is inserted as text.
export function fillHelpline(node, text) {
  const key = String(text || "");
  if (node.dataset.text === key) return;
  node.dataset.text = key;
  const parts = key.split(/(\b\d{3,12}\b)/);
  node.replaceChildren(
    ...parts.map((part, index) =>
      index % 2 ? el("a", { class: "helpline-number", href: `tel:${part}`, text: part }) : document.createTextNode(part),
    ),
  );
}

// --- the question wall -------------------------------------------------------------------------

export class QuestionWall {
  // panel: the Questions tab's panel; code: the event code (storage keys); isChild: the
  // participant joined as a child (never asked for a name); onChange(count): called with the
  // wall's size after every redraw (the tab's counter).
  constructor({ client, panel, code, isChild = false, onChange = () => {} }) {
    this.client = client;
    this.panel = panel;
    this.isChild = isChild;
    this.onChange = onChange;
    this.askKey = `roundtable:pending-question:${code}`;
    this.sortKey = `roundtable:wall-sort:${code}`;

    this.item = null; // the live item from the participant view (null: none)
    this.loaded = false; // a view has arrived
    this.wall = null;
    this.mine = new Map();
    this.upvoted = new Set();
    this.upvoting = new Map();
    this.upErrors = new Map(); // question id -> error text, shown on that question
    this.asking = null;
    // The line under the ask box: {kind: "published" | "pending" | "error" | "info", title, text?,
    // questionId?, status?}; it follows the question's status until the participant types again.
    this.askResult = null;
    this.askItemId = null; // the session the result belongs to
    this.connection = "connecting";
    this.sort = readStore(sessionStorage, this.sortKey, "top") === "recent" ? "recent" : "top";
    this.showAllMine = false;
    this.rows = new Map(); // question id -> wall row nodes
    this.mineRows = new Map(); // question id -> "your questions" row nodes

    this.build();
    setInterval(() => this.refreshTimes(), 60_000);
  }

  // --- building the panel (once) ---

  build() {
    this.closedCard = el(
      "section",
      { class: "q-closed", "data-testid": "questions-closed", role: "status" },
      el("span", { class: "q-closed-icon" }, icon("lock")),
      el(
        "div",
        {},
        el("p", { class: "q-closed-title", text: "Questions are closed for this session" }),
        (this.closedText = el("p", { class: "q-closed-text" })),
      ),
    );

    this.input = el("textarea", {
      id: "ask-input",
      class: "text-input ask-input",
      "data-testid": "ask-input",
      maxlength: String(QUESTION_MAX),
      rows: "3",
      placeholder: "Type your question…",
      "aria-describedby": "ask-count",
      autocomplete: "off",
      enterkeyhint: "send",
      oninput: () => this.onTyping(),
      // A question is one paragraph (the server folds line breaks): the Enter key sends it.
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.submitAsk();
        }
      },
    });
    this.counter = el("span", { class: "field-counter", id: "ask-count", "aria-live": "off", text: `0/${QUESTION_MAX}` });
    this.nameInput = el("input", {
      id: "ask-name",
      type: "text",
      class: "word-input ask-name",
      "data-testid": "ask-name",
      maxlength: String(NAME_MAX),
      placeholder: "Leave empty to stay anonymous",
      autocomplete: "off",
      autocapitalize: "words",
      oninput: () => this.onTyping(),
    });
    this.nameField = el(
      "div",
      { class: "ask-name-field", "data-testid": "ask-name-field" },
      el("label", { class: "field-label", for: "ask-name", text: "Add your name " }, el("span", { class: "optional", text: "(optional)" })),
      this.nameInput,
    );
    this.submit = el("button", { type: "submit", class: "button primary big ask-submit", "data-testid": "ask-submit", text: "Ask" });
    this.status = el("div", { class: "ask-status", "data-testid": "ask-status", role: "status", "aria-live": "polite" });
    this.eyebrow = el("p", { class: "q-eyebrow", text: "Ask a question" });
    this.heading = el("h2", { class: "ask-heading", id: "ask-heading", "data-testid": "ask-heading", text: "Ask a question" });
    this.noteIcon = el("span", { class: "ask-note-icon" });
    this.noteText = el("span", { class: "ask-note-text" });
    this.note = el("p", { class: "ask-note", "data-testid": "ask-note" }, this.noteIcon, this.noteText);
    this.form = el(
      "form",
      { class: "ask-form", novalidate: true, onsubmit: (event) => { event.preventDefault(); this.submitAsk(); } },
      el(
        "div",
        { class: "text-field" },
        el("div", { class: "field-head" }, el("label", { class: "field-label", for: "ask-input", text: "Your question" }), this.counter),
        this.input,
      ),
      this.nameField,
      this.submit,
      this.status,
    );
    this.askCard = el("section", { class: "ask-card", "data-testid": "ask-card", "aria-labelledby": "ask-heading" }, this.eyebrow, this.heading, this.note, this.form);

    this.mineList = el("ul", { class: "mine-list" });
    this.mineMore = el("button", { type: "button", class: "link-button mine-more", "data-testid": "my-questions-more", onclick: () => { this.showAllMine = !this.showAllMine; this.renderMine(); } });
    this.mineCard = el(
      "section",
      { class: "mine-card", "data-testid": "my-questions", "aria-labelledby": "my-questions-title" },
      el("h2", { class: "q-section-title", id: "my-questions-title", text: "Your questions" }),
      el("p", { class: "mine-private", text: "Only you see this list." }),
      this.mineList,
      this.mineMore,
    );

    this.sortTop = el("button", { type: "button", class: "sort-button", "data-testid": "sort-top", "aria-pressed": "true", text: "Top", onclick: () => this.setSort("top") });
    this.sortRecent = el("button", { type: "button", class: "sort-button", "data-testid": "sort-recent", "aria-pressed": "false", text: "Recent", onclick: () => this.setSort("recent") });
    this.wallTitle = el("h2", { class: "q-section-title", id: "wall-title", text: "All questions" });
    this.wallCount = el("p", { class: "wall-count", "data-testid": "wall-count" });
    this.wallList = el("ol", { class: "q-list", "data-testid": "wall", "aria-labelledby": "wall-title" });
    this.wallEmpty = el(
      "div",
      { class: "wall-empty", "data-testid": "wall-empty" },
      el("span", { class: "wall-empty-icon" }, icon("bubble")),
      (this.wallEmptyText = el("p", {})),
    );
    this.wallSection = el(
      "section",
      { class: "wall-section", "data-testid": "wall-section" },
      el(
        "div",
        { class: "wall-head" },
        el("div", { class: "wall-head-text" }, this.wallTitle, this.wallCount),
        el("div", { class: "sort-toggle", role: "group", "aria-label": "Sort questions" }, this.sortTop, this.sortRecent),
      ),
      this.wallEmpty,
      this.wallList,
    );

    // The closed note and the ask box join the panel (before "your questions") once a view says
    // which of the two applies; the one that does not is not on the page at all.
    this.panel.replaceChildren(this.mineCard, this.wallSection);
    this.mineCard.hidden = true;
    this.wallSection.hidden = true;
  }

  // --- what the server sends ---

  // Every participant view, from a snapshot or a "state": the live item and its wall.
  applyView(view) {
    this.loaded = true;
    const item = view.item || null;
    const itemId = item && !item.is_break ? item.id : null;
    if (this.wall && this.wall.item_id !== itemId) this.wall = null; // another session is live
    this.item = item;
    if (this.askResult && this.askItemId !== itemId) this.askResult = null;
    if (view.wall) this.takeWall(view.wall);
    this.render();
  }

  // The snapshot's own extras (call before applyView with the same reply).
  applySnapshot(reply) {
    for (const question of reply.my_questions || []) this.mine.set(question.id, question);
    if (Array.isArray(reply.my_upvotes)) {
      const upvoted = new Set(reply.my_upvotes);
      // An upvote still in flight keeps what the participant just tapped.
      for (const [id, pending] of this.upvoting) {
        if (pending.up) upvoted.add(id);
        else upvoted.delete(id);
      }
      this.upvoted = upvoted;
    }
  }

  // A "wall" message: applied when it is the live session's and not older than the one shown.
  onWall(wall) {
    if (this.takeWall(wall)) this.render();
  }

  takeWall(wall) {
    if (!wall || !this.item || this.item.is_break || wall.item_id !== this.item.id) return false;
    if (this.wall && this.wall.item_id === wall.item_id && wall.seq < this.wall.seq) return false;
    this.wall = wall;
    // Questions that left the wall (rejected, archived) take their upvote errors with them.
    const ids = new Set(wall.questions.map((q) => q.id));
    for (const id of this.upErrors.keys()) if (!ids.has(id)) this.upErrors.delete(id);
    return true;
  }

  // A "my_question" message: a moderator changed one of this participant's questions.
  onMyQuestion(question) {
    if (!question || !Number.isInteger(question.id)) return;
    this.mine.set(question.id, question);
    // The line under the ask box follows the question it speaks of.
    const result = this.askResult;
    if (result && result.questionId === question.id && result.status !== question.status) {
      this.askResult =
        question.status === "published"
          ? { ...PUBLISHED, text: "A moderator has read it.", questionId: question.id, status: question.status }
          : question.status === "pending"
            ? result
            : null; // answered, not published: "Your questions" says so
    }
    this.render();
  }

  setConnection(status) {
    this.connection = status;
    this.renderAsk();
  }

  // --- state of the page ---

  get count() {
    return this.wall ? this.wall.questions.length : 0;
  }

  // The session takes questions now: not a break, nothing live, or closed.
  canAsk() {
    const item = this.item;
    return Boolean(item && !item.is_break && item.question_mode !== "closed");
  }

  // Never ask a child for a name, nor anyone in a session with children.
  nameAllowed() {
    return !this.isChild && Boolean(this.item && !this.item.involves_children);
  }

  moderated() {
    const item = this.item;
    return Boolean(item && (item.question_mode === "premoderated" || item.involves_children));
  }

  // --- asking ---

  onTyping() {
    updateCounter(this.counter, this.input.value.length, QUESTION_MAX);
    // A fresh edit replaces the last result or error.
    if (this.askResult) {
      this.askResult = null;
      this.renderAskStatus();
    }
    this.submit.disabled = Boolean(this.asking) || !tidy(this.input.value);
  }

  submitAsk() {
    if (this.asking || !this.canAsk()) return;
    const text = tidy(this.input.value);
    if (!text) {
      this.setAskResult({ kind: "error", title: ASK_ERRORS.empty_text });
      this.input.focus();
      return;
    }
    const question = { client_id: newClientId(), text, item_id: this.item.id };
    const name = this.nameAllowed() ? tidy(this.nameInput.value) : "";
    if (name) question.name = name;
    this.asking = question;
    this.askResult = null;
    writeStore(sessionStorage, this.askKey, question);
    // Put the phone keyboard away, so the result is in sight.
    if (this.form.contains(document.activeElement)) document.activeElement.blur();
    this.renderAsk();
    this.dispatch(question);
  }

  // Send (or resend after a reload) a question. live.js keeps it across reconnects until the
  // server acknowledges it, and the server applies a client_id once.
  dispatch(question) {
    const payload = { text: question.text, client_id: question.client_id, item_id: question.item_id };
    if (question.name) payload.name = question.name;
    this.client.request("question:ask", payload, { retry: true }).then((reply) => this.onAskAck(question, reply));
  }

  // A question still on its way when the page was last closed or reloaded: send it again.
  resume() {
    const stored = readStore(sessionStorage, this.askKey, null);
    if (!stored || typeof stored.text !== "string" || typeof stored.client_id !== "string") return;
    this.asking = stored;
    this.input.value = stored.text;
    if (stored.name) this.nameInput.value = stored.name;
    this.renderAsk();
    this.dispatch(stored);
  }

  onAskAck(question, reply) {
    if (this.asking === question) {
      this.asking = null;
      writeStore(sessionStorage, this.askKey, null);
    }
    this.askItemId = question.item_id;
    if (reply && reply.ok && reply.question) {
      const asked = reply.question;
      this.mine.set(asked.id, asked);
      if (tidy(this.input.value) === question.text) this.input.value = "";
      updateCounter(this.counter, this.input.value.length, QUESTION_MAX);
      this.askResult = {
        ...(asked.status === "published"
          ? PUBLISHED
          : asked.status === "pending"
            ? { kind: "pending", title: "Waiting for a moderator", text: "A moderator reads it first. Follow it under “Your questions”." }
            : { kind: "info", title: STATUS_WORDS[asked.status] || "Question received" }),
        questionId: asked.id,
        status: asked.status,
      };
    } else {
      const error = (reply && reply.error) || {};
      this.askResult = {
        kind: "error",
        title: ASK_ERRORS[error.code] || error.message || "Your question could not be sent. Please try again.",
      };
    }
    this.render();
  }

  setAskResult(result) {
    this.askResult = result;
    this.askItemId = this.item ? this.item.id : null;
    this.renderAskStatus();
  }

  // --- upvoting ---

  toggleUpvote(question) {
    if (this.upvoting.has(question.id)) return; // one request per question at a time
    const was = this.upvoted.has(question.id);
    const up = !was;
    this.upvoting.set(question.id, { up, was });
    this.upErrors.delete(question.id);
    if (up) this.upvoted.add(question.id);
    else this.upvoted.delete(question.id);
    this.renderWall();
    // up: true/false (not a toggle) makes a resend after a reconnect safe.
    this.client
      .request("question:upvote", { question_id: question.id, up }, { retry: true })
      .then((reply) => this.onUpvoteAck(question.id, reply));
  }

  onUpvoteAck(id, reply) {
    const pending = this.upvoting.get(id);
    this.upvoting.delete(id);
    if (reply && reply.ok) {
      if (reply.upvoted) this.upvoted.add(id);
      else this.upvoted.delete(id);
      const shown = this.wall && this.wall.questions.find((q) => q.id === id);
      if (shown && Number.isInteger(reply.upvotes)) shown.upvotes = reply.upvotes;
    } else {
      if (pending && pending.was) this.upvoted.add(id);
      else this.upvoted.delete(id);
      const error = (reply && reply.error) || {};
      this.upErrors.set(id, UPVOTE_ERRORS[error.code] || error.message || "Your upvote could not be saved.");
    }
    this.renderWall();
  }

  // The count to show: the server's, plus an upvote still on its way.
  displayedUpvotes(question) {
    const pending = this.upvoting.get(question.id);
    if (!pending || pending.up === pending.was) return question.upvotes;
    return Math.max(0, question.upvotes + (pending.up ? 1 : -1));
  }

  setSort(sort) {
    if (this.sort === sort) return;
    this.sort = sort;
    writeStore(sessionStorage, this.sortKey, sort);
    this.renderWall();
  }

  // --- drawing ---

  render() {
    this.renderAsk();
    this.renderMine();
    this.renderWall();
  }

  renderAsk() {
    if (!this.loaded) return;
    const item = this.item;
    const open = this.canAsk();
    // Inserted or removed, never moved: moving the ask box would drop the focus in it.
    if (open) {
      this.closedCard.remove();
      if (!this.askCard.isConnected) this.mineCard.before(this.askCard);
    } else {
      this.askCard.remove();
      if (!this.closedCard.isConnected) this.panel.prepend(this.closedCard);
    }
    if (!open) {
      setText(
        this.closedText,
        !item
          ? "They open when a session starts."
          : item.is_break
            ? "It's a break: questions open again with the next session."
            : this.count
              ? "You can still read and upvote the questions below."
              : "The facilitators are not taking questions in this session.",
      );
    }
    if (!open) {
      this.renderAskStatus();
      return;
    }
    // Who the questions go to, when the session says so ("Questions to ISPs, telcos and SMS providers").
    const to = tidy(item.questions_to);
    setText(this.heading, to ? `Questions to ${to}` : "Ask a question");
    this.eyebrow.hidden = !to;
    const moderated = this.moderated();
    const noteIcon = moderated ? "shield" : "info";
    if (this.noteIcon.dataset.icon !== noteIcon) {
      this.noteIcon.dataset.icon = noteIcon;
      this.noteIcon.replaceChildren(icon(noteIcon));
    }
    setText(
      this.noteText,
      moderated
        ? "A moderator reads every question before it is shown."
        : "Questions appear on the wall at once. Please leave out phone numbers and other personal details.",
    );
    this.note.classList.toggle("is-moderated", moderated);
    // Not merely hidden: where names are never asked for, the field is not on the page at all.
    if (this.nameAllowed()) {
      if (!this.nameField.isConnected) this.submit.before(this.nameField);
    } else {
      this.nameField.remove();
      this.nameInput.value = "";
    }

    const sending = Boolean(this.asking);
    this.input.disabled = sending;
    this.nameInput.disabled = sending;
    this.submit.disabled = sending || !tidy(this.input.value);
    setText(this.submit, sending ? "Sending…" : "Ask");
    this.submit.classList.toggle("is-sending", sending);
    updateCounter(this.counter, this.input.value.length, QUESTION_MAX);
    this.renderAskStatus();
  }

  renderAskStatus() {
    const parts = [];
    if (this.asking) {
      const online = this.connection === "online";
      parts.push(
        el(
          "p",
          { class: "sending-line", "data-testid": "ask-sending" },
          el("span", { class: "spinner", "aria-hidden": "true" }),
          el("span", { text: online ? "Sending…" : "Waiting for the connection… your question will be sent automatically." }),
        ),
      );
    } else if (this.askResult) {
      const result = this.askResult;
      const symbol = { published: "check", pending: "clock", error: "alert", info: "info" }[result.kind] || "info";
      parts.push(
        el(
          "div",
          { class: `ask-result is-${result.kind}`, "data-testid": `ask-result-${result.kind}`, role: result.kind === "error" ? "alert" : null },
          el("span", { class: "ask-result-icon" }, icon(symbol, { stroke: 2.6 })),
          el(
            "div",
            { class: "ask-result-text" },
            el("p", { class: "ask-result-title", text: result.title }),
            result.text ? el("p", { class: "ask-result-sub", text: result.text }) : null,
          ),
        ),
      );
    }
    this.status.replaceChildren(...parts);
  }

  renderMine() {
    const all = [...this.mine.values()].sort(byRecent);
    this.mineCard.hidden = all.length === 0;
    if (!all.length) return;
    const shown = this.showAllMine ? all : all.slice(0, MINE_FOLDED);
    const currentId = this.item && !this.item.is_break ? this.item.id : null;
    const seen = new Set();
    shown.forEach((question, index) => {
      let row = this.mineRows.get(question.id);
      if (!row) {
        row = {
          node: el("li", { class: "mine-q", "data-testid": `my-q-${question.id}` }),
          text: el("p", { class: "mine-q-text" }),
          status: el("span", { class: "q-status", "data-testid": `my-q-status-${question.id}` }),
          where: el("span", { class: "mine-q-where" }),
        };
        row.node.append(row.text, el("div", { class: "mine-q-meta" }, row.status, row.where));
        this.mineRows.set(question.id, row);
      }
      setText(row.text, question.text);
      setText(row.status, STATUS_WORDS[question.status] || question.status);
      row.status.className = `q-status status-${question.status}`;
      row.node.dataset.status = question.status;
      setText(row.where, currentId !== null && question.item_id !== currentId ? "Earlier session" : "");
      seen.add(question.id);
      const there = this.mineList.children[index];
      if (there !== row.node) this.mineList.insertBefore(row.node, there || null);
    });
    for (const [id, row] of this.mineRows) {
      if (!seen.has(id)) {
        row.node.remove();
        this.mineRows.delete(id);
      }
    }
    this.mineMore.hidden = all.length <= MINE_FOLDED;
    setText(this.mineMore, this.showAllMine ? "Show fewer" : `Show all ${all.length}`);
  }

  renderWall() {
    const questions = this.wall ? this.wall.questions : [];
    const live = this.item && !this.item.is_break;
    // Outside a session the wall has nothing to show; in a closed session only what is on it.
    this.wallSection.hidden = !this.loaded || !live || (!this.canAsk() && questions.length === 0);
    this.sortTop.setAttribute("aria-pressed", String(this.sort === "top"));
    this.sortRecent.setAttribute("aria-pressed", String(this.sort === "recent"));

    const count = questions.length;
    setText(this.wallCount, count === 1 ? "1 question" : `${count} questions`);
    this.wallCount.hidden = count === 0;
    this.wallEmpty.hidden = count > 0;
    setText(
      this.wallEmptyText,
      this.moderated()
        ? "No questions on the wall yet. Questions appear here once a moderator has read them."
        : "No questions yet. Be the first to ask.",
    );

    // Top: the server's order (most upvoted first). Recent: newest first. The question on the
    // projector comes first either way, marked "On screen now".
    const ordered = this.sort === "recent" ? [...questions].sort(byRecent) : [...questions];
    const highlighted = this.wall && this.wall.highlighted ? this.wall.highlighted.id : null;
    const top = ordered.findIndex((q) => q.id === highlighted);
    if (top > 0) ordered.unshift(...ordered.splice(top, 1));

    const seen = new Set();
    ordered.forEach((question, index) => {
      const row = this.rows.get(question.id) || this.buildRow(question);
      this.fillRow(row, question, question.id === highlighted);
      seen.add(question.id);
      // Move nodes only when the order changed: moving a node would drop the focus inside it.
      const there = this.wallList.children[index];
      if (there !== row.node) this.wallList.insertBefore(row.node, there || null);
    });
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.node.remove();
        this.rows.delete(id);
      }
    }
    this.onChange(count);
  }

  buildRow(question) {
    const id = question.id;
    const row = {
      question,
      node: el("li", { class: "q-card", "data-testid": `wall-q-${id}`, dataset: { questionId: String(id) } }),
      flags: el("div", { class: "q-flags" }),
      text: el("p", { class: "q-text", "data-testid": `wall-q-text-${id}` }),
      name: el("span", { class: "q-name", "data-testid": `wall-q-name-${id}` }),
      time: el("span", { class: "q-time" }),
      error: el("p", { class: "q-error", role: "alert", "data-testid": `upvote-error-${id}` }),
      count: el("span", { class: "upvote-count", "data-testid": `upvote-count-${id}` }),
      label: el("span", { class: "sr-only" }),
    };
    row.button = el(
      "button",
      { type: "button", class: "upvote", "data-testid": `upvote-${id}`, "aria-pressed": "false", onclick: () => this.toggleUpvote(row.question) },
      el("span", { class: "upvote-icon" }, icon("upvote", { stroke: 1.5 })),
      row.count,
      row.label,
    );
    row.node.append(
      el("div", { class: "q-body" }, row.flags, row.text, el("p", { class: "q-meta" }, row.name, row.time), row.error),
      row.button,
    );
    this.rows.set(id, row);
    return row;
  }

  fillRow(row, question, onScreen) {
    row.question = question;
    const id = question.id;
    const answered = question.status === "answered";
    const mine = this.mine.has(id);
    const upvoted = this.upvoted.has(id);
    const count = this.displayedUpvotes(question);
    row.node.classList.toggle("is-answered", answered);
    row.node.classList.toggle("is-mine", mine);
    row.node.classList.toggle("is-on-screen", onScreen);
    row.node.dataset.status = question.status;
    setText(row.text, question.text);
    setText(row.name, question.name || "Anonymous");
    row.name.classList.toggle("is-anonymous", !question.name);
    setText(row.time, timeAgo(question.created_at));
    const flags = [];
    if (onScreen) flags.push(["flag-screen", "On screen now"]);
    if (answered) flags.push(["flag-answered", "Answered"]);
    if (mine) flags.push(["flag-mine", "Your question"]);
    const key = flags.map((f) => f[1]).join("|");
    if (row.flags.dataset.key !== key) {
      row.flags.dataset.key = key;
      row.flags.replaceChildren(
        ...flags.map(([cls, text]) => el("span", { class: `q-flag ${cls}`, "data-testid": cls === "flag-answered" ? `answered-${id}` : null, text })),
      );
    }
    row.flags.hidden = flags.length === 0;
    row.button.setAttribute("aria-pressed", String(upvoted));
    row.button.classList.toggle("is-sending", this.upvoting.has(id));
    setText(row.count, String(count));
    setText(row.label, upvoted ? " upvotes. You upvoted this: tap to take it back." : " upvotes. Tap to upvote.");
    const error = this.upErrors.get(id) || "";
    setText(row.error, error);
    row.error.hidden = !error;
  }

  refreshTimes() {
    for (const row of this.rows.values()) setText(row.time, timeAgo(row.question.created_at));
  }
}

// --- "I need help / report something" ------------------------------------------------------------
// A private message to the facilitators (help:send), never shown on the wall or the projector.
// Sent with retry, so it also works from a phone that is offline for a moment: the sheet says it
// will go when the phone is back online, and shows the helpline at once.

export class HelpSheet {
  constructor({ client, dialog, helpline = () => "", toast = () => {} }) {
    this.client = client;
    this.dialog = dialog;
    this.helpline = helpline;
    this.toast = toast;
    this.kind = null;
    this.sending = null; // the request on its way
    this.connection = "connecting";
    const $ = (id) => document.getElementById(id);
    this.form = $("help-form");
    this.message = $("help-message");
    this.counter = $("help-message-count");
    this.send = $("help-send");
    this.chooseHint = $("help-choose");
    this.error = $("help-error");
    this.waiting = $("help-waiting");
    this.confirm = $("help-confirm");
    this.helplineText = $("help-helpline-text");
    this.done = $("help-done");
    this.kinds = [...dialog.querySelectorAll(".help-kind")];

    for (const opener of document.querySelectorAll("[data-help-open]")) opener.addEventListener("click", () => this.open());
    for (const closer of dialog.querySelectorAll("[data-help-close]")) closer.addEventListener("click", () => this.close());
    for (const button of this.kinds) button.addEventListener("click", () => this.pick(button.dataset.kind));
    this.message.addEventListener("input", () => {
      updateCounter(this.counter, this.message.value.length, HELP_MAX);
      this.error.classList.add("hidden");
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    // A tap on the dimmed backdrop (outside the sheet) closes it, as on every phone sheet.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) this.close();
    });
    dialog.addEventListener("close", () => this.onClosed());
  }

  open() {
    if (this.dialog.open) return;
    this.render();
    if (typeof this.dialog.showModal === "function") this.dialog.showModal();
    else this.dialog.setAttribute("open", ""); // very old browsers: still shown, just not modal
    document.body.classList.add("sheet-open");
  }

  close() {
    if (typeof this.dialog.close === "function" && this.dialog.open) this.dialog.close();
    else {
      this.dialog.removeAttribute("open");
      this.onClosed();
    }
  }

  onClosed() {
    document.body.classList.remove("sheet-open");
    // After a confirmation, the next opening starts afresh.
    if (this.dialog.classList.contains("is-confirmed")) this.reset();
  }

  reset() {
    this.kind = null;
    this.message.value = "";
    this.dialog.classList.remove("is-confirmed");
    this.render();
  }

  pick(kind) {
    if (this.sending) return;
    this.kind = kind;
    this.error.classList.add("hidden");
    this.render();
  }

  setConnection(status) {
    this.connection = status;
    this.render();
  }

  setHelpline(text) {
    if (text) fillHelpline(this.helplineText, text);
  }

  submit() {
    if (this.sending || !this.kind) return;
    const payload = { kind: this.kind };
    const message = tidy(this.message.value);
    if (message) payload.message = message.slice(0, HELP_MAX);
    const request = { payload };
    this.sending = request;
    this.error.classList.add("hidden");
    if (this.dialog.contains(document.activeElement)) document.activeElement.blur();
    this.render();
    this.client.request("help:send", payload, { retry: true }).then((reply) => this.onAck(request, reply));
  }

  onAck(request, reply) {
    if (this.sending !== request) return;
    this.sending = null;
    if (reply && reply.ok) {
      if (reply.helpline) this.setHelpline(reply.helpline);
      this.dialog.classList.add("is-confirmed");
      if (!this.dialog.open) {
        // Sent after the participant closed the sheet (it waited for the connection): say so.
        this.toast("Your message reached the facilitators. They will come to you.");
        this.reset();
        return;
      }
      this.render();
      this.confirm.focus();
    } else {
      const error = (reply && reply.error) || {};
      // A refusal (too many messages) still carries the helpline in its message.
      setText(this.error, error.message || "Your message could not be sent. Please tell a facilitator in person.");
      this.error.classList.remove("hidden");
      this.render();
    }
  }

  render() {
    const confirmed = this.dialog.classList.contains("is-confirmed");
    this.form.classList.toggle("hidden", confirmed);
    this.confirm.classList.toggle("hidden", !confirmed);
    this.done.classList.toggle("hidden", !confirmed);
    this.setHelpline(this.helpline());
    for (const button of this.kinds) {
      const chosen = button.dataset.kind === this.kind;
      button.setAttribute("aria-pressed", String(chosen));
      button.classList.toggle("selected", chosen);
      button.disabled = Boolean(this.sending);
    }
    this.message.disabled = Boolean(this.sending);
    updateCounter(this.counter, this.message.value.length, HELP_MAX);
    this.send.disabled = !this.kind || Boolean(this.sending);
    setText(this.send, this.sending ? "Sending…" : "Send to a facilitator");
    this.send.classList.toggle("is-sending", Boolean(this.sending));
    this.chooseHint.classList.toggle("hidden", Boolean(this.kind));
    const offline = ["offline", "reconnecting", "refused"].includes(this.connection);
    const waitingText = this.sending
      ? offline
        ? "You're offline. Your message will be sent when you are back online. You can close this: it will still go."
        : "Sending…"
      : offline
        ? "You're offline right now. You can still send: your message will be sent when you are back online."
        : "";
    setText(this.waiting, waitingText);
    this.waiting.classList.toggle("hidden", !waitingText || (this.sending && !offline));
    this.waiting.classList.toggle("is-queued", Boolean(this.sending));
  }
}
