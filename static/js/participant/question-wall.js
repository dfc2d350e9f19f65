// The phone's question wall (the Questions tab): the ask box (ask-box.js), the participant's own
// questions and the live session's published and answered questions, most upvoted first, with
// upvotes.
//
// participant.js owns the socket (LiveClient); it hands this panel every participant view
// (snapshot or "state"), the snapshot's own extras and the connection status, and forwards the
// wall's own messages (docs/socket-protocol.md, "Question wall"):
//   wall         {item_id, seq, questions, highlighted}   the live session's published and
//                                                         answered questions, most upvoted first
//   my_question  question                                 one of this participant's own questions
//                                                         changed status (a moderator acted)
// What the panel keeps on top of them:
//   wall       the newest wall of the live session (by seq; one for another session is ignored)
//   mine       question id -> question   this participant's own questions, every status: from the
//                                        snapshot's my_questions, ask acks and my_question
//   upvoted    Set of question ids       from the snapshot's my_upvotes and upvote acks
//   upvoting   question id -> {up, was}  an upvote in flight: drawn at once, rolled back on error
// Nothing here ever shows anyone else's held question, a moderator's reason or a help request:
// the server never sends them to a phone. All text goes in with textContent (el() from live.js).
import { el } from "../live.js";
import { glyph } from "../glyphs.js";
import { setText } from "../text.js";
import { AskBox, STATUS_WORDS } from "./ask-box.js";
import { readSession, writeSession } from "./state.js";
import { t } from "../i18n.js";
import { applyDelta } from "./wall-delta.js";

const MINE_FOLDED = 3; // own questions shown before "Show all"

const UPVOTE_ERRORS = {
  unknown_question: t("This question is no longer on the wall."),
  rate_limited: t("Too many taps at once. Wait a moment and try again."),
};

// "just now", "4 min ago", "2 h ago", else the time of day. A phone's clock may be a little off
// from the server's: a time in the future reads as "just now".
function timeAgo(iso, now = Date.now()) {
  const when = Date.parse(iso || "");
  if (Number.isNaN(when)) return "";
  const minutes = Math.floor((now - when) / 60000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return t("%(n)s min ago", { n: minutes });
  if (minutes < 12 * 60) return t("%(n)s h ago", { n: Math.floor(minutes / 60) });
  return new Date(when).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function byRecent(a, b) {
  return (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0) || b.id - a.id;
}

export class QuestionWall {
  // panel: the Questions tab's panel; code: the event code (storage keys); isChild: the
  // participant joined as a child (never asked for a name); onChange(count): called with the
  // wall's size after every redraw (the tab's counter).
  constructor({ client, panel, code, isChild = false, onChange = () => {} }) {
    this.client = client;
    this.panel = panel;
    this.isChild = isChild;
    this.onChange = onChange;
    this.sortKey = `roundtable:wall-sort:${code}`;

    this.item = null; // the live item from the participant view (null: none)
    this.loaded = false; // a view has arrived
    this.wall = null;
    this.mine = new Map();
    this.upvoted = new Set();
    this.upvoting = new Map();
    this.upErrors = new Map(); // question id -> error text, shown on that question
    this.connection = "connecting";
    this.sort = readSession(this.sortKey, "top") === "recent" ? "recent" : "top";
    this.showAllMine = false;
    this.rows = new Map(); // question id -> wall row nodes
    this.mineRows = new Map(); // question id -> "your questions" row nodes

    this.build();
    this.ask = new AskBox(this, code);
    setInterval(() => this.refreshTimes(), 60_000);
  }

  // --- building the panel (once) ---

  build() {

    this.mineList = el("ul", { class: "mine-list" });
    this.mineMore = el("button", { type: "button", class: "link-button mine-more", "data-testid": "my-questions-more", onclick: () => { this.showAllMine = !this.showAllMine; this.renderMine(); } });
    this.mineCard = el(
      "section",
      { class: "mine-card", "data-testid": "my-questions", "aria-labelledby": "my-questions-title" },
      el("h2", { class: "q-section-title", id: "my-questions-title", text: t("Your questions") }),
      el("p", { class: "mine-private", text: t("Only you see this list.") }),
      this.mineList,
      this.mineMore,
    );

    this.sortTop = el("button", { type: "button", class: "sort-button", "data-testid": "sort-top", "aria-pressed": "true", text: t("Top"), onclick: () => this.setSort("top") });
    this.sortRecent = el("button", { type: "button", class: "sort-button", "data-testid": "sort-recent", "aria-pressed": "false", text: t("Recent"), onclick: () => this.setSort("recent") });
    this.wallTitle = el("h2", { class: "q-section-title", id: "wall-title", text: t("All questions") });
    this.wallCount = el("p", { class: "wall-count", "data-testid": "wall-count" });
    this.wallList = el("ol", { class: "q-list", "data-testid": "wall", "aria-labelledby": "wall-title" });
    this.wallEmpty = el(
      "div",
      { class: "wall-empty", "data-testid": "wall-empty" },
      el("span", { class: "wall-empty-icon" }, glyph("bubble")),
      (this.wallEmptyText = el("p", {})),
    );
    this.wallSection = el(
      "section",
      { class: "wall-section", "data-testid": "wall-section" },
      el(
        "div",
        { class: "wall-head" },
        el("div", { class: "wall-head-text" }, this.wallTitle, this.wallCount),
        el("div", { class: "sort-toggle", role: "group", "aria-label": t("Sort questions") }, this.sortTop, this.sortRecent),
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
    this.ask.forget(itemId);
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

  // A "wall_delta" message (what changed since its base). Returns false on a gap: the caller
  // then asks for a snapshot, which brings the whole wall.
  onWallDelta(delta) {
    if (!delta || !this.item || this.item.is_break || delta.item_id !== this.item.id) return true;
    const wall = applyDelta(this.wall, delta);
    if (wall === null) return false;
    if (wall !== this.wall && this.takeWall(wall)) this.render();
    return true;
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
    this.ask.follow(question);
  }

  setConnection(status) {
    this.connection = status;
    this.ask.render();
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


  // A question that was still on its way when the page was last closed or reloaded.
  resume() {
    this.ask.resume();
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
      this.upErrors.set(id, UPVOTE_ERRORS[error.code] || error.message || t("Your upvote could not be saved."));
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
    writeSession(this.sortKey, sort);
    this.renderWall();
  }

  // --- drawing ---

  render() {
    this.ask.render();
    this.renderMine();
    this.renderWall();
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
      setText(row.where, currentId !== null && question.item_id !== currentId ? t("Earlier session") : "");
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
    setText(this.mineMore, this.showAllMine ? t("Show fewer") : t("Show all %(n)s", { n: all.length }));
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
        ? t("No questions on the wall yet. Questions appear here once a moderator has read them.")
        : t("No questions yet. Be the first to ask."),
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
      el("span", { class: "upvote-icon" }, glyph("upvote", { stroke: 1.5 })),
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
    setText(row.name, question.name || t("Anonymous"));
    row.name.classList.toggle("is-anonymous", !question.name);
    setText(row.time, timeAgo(question.created_at));
    const flags = [];
    if (onScreen) flags.push(["flag-screen", t("On screen now")]);
    if (answered) flags.push(["flag-answered", "Answered"]);
    if (mine) flags.push(["flag-mine", t("Your question")]);
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
