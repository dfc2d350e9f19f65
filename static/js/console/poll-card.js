// One poll on the console: a card with its status and settings as tags, its tools (move, edit,
// reset, delete), open/close, reveal and "show on screen", the held answers of free-text kinds,
// and the live results, drawn by the poll's kind with what only staff see added (the kind's
// `staff` extras: a quiz's answer key before the reveal, a cloud's words to click and hide).
// Result containers are kept across re-renders so that drawings update in place.
import { el } from "../live.js";
import { icon } from "../icons.js";
import { renderResults } from "../results.js";
import { staffKind } from "../kinds/staff/index.js";
import { groupTools } from "../console-groups.js";
import { act, setLive, setScreen } from "./actions.js";
import { heldBadge, heldPanel, isFreeText } from "./held.js";
import { canRun, countFor, desk, findPoll, resultsMode, tallyFor } from "./store.js";
import { t, tn } from "../i18n.js";

const { state } = desk;
const resultsCache = new Map(); // poll id -> {node, signature}
const staffTools = { act, findPoll }; // what a kind's staff extras may use

const MODE_TAGS = { after_vote: t("Results after answering"), live: t("Results live on phones"), never: t("Results never on phones") };
const STATUS_LABEL = { draft: t("Draft"), open: t("Open"), closed: t("Closed") };
const hasAnswerKey = (poll) => Boolean(staffKind(poll.kind) && staffKind(poll.kind).hasCorrect);
// "Reveal" changes what phones see only for on_reveal polls (and marks a quiz's right answer).
const revealMatters = (poll) => resultsMode(poll) === "on_reveal" || hasAnswerKey(poll);

// The card's kind tag ("Rating 1–5", t("Quiz · leaderboard")); a kind this page does not know by its name.
function kindSummary(poll) {
  const kind = staffKind(poll.kind);
  return kind ? kind.summary(poll) : poll.kind;
}

function staffExtras(poll) {
  const kind = staffKind(poll.kind);
  return (kind && kind.staff) || {};
}

function resultsNode(poll) {
  const signature = `${poll.renderer}:${poll.options.map((o) => o.id).join(",")}`;
  let entry = resultsCache.get(poll.id);
  if (!entry || entry.signature !== signature) {
    const node = el("div", { class: "poll-results", "data-testid": `results-${poll.id}` });
    const { watch } = staffExtras(poll);
    if (watch) watch(node, poll.id, staffTools);
    entry = { node, signature };
    resultsCache.set(poll.id, entry);
  }
  drawStaffResults(entry.node, poll);
  return entry.node;
}

// The kind draws what the room sees; its staff extras add what only staff see.
export function drawStaffResults(node, poll) {
  const tally = tallyFor(poll);
  renderResults(node, poll, tally);
  const { decorate } = staffExtras(poll);
  if (decorate) decorate(node, poll, tally);
}

// A new tally: redraw the poll's results where the card shows them.
export function redrawResults(poll) {
  const entry = resultsCache.get(poll.id);
  if (entry) drawStaffResults(entry.node, poll);
}

// Forget the result containers of polls that are gone.
export function forgetResults(ids) {
  for (const id of resultsCache.keys()) if (!ids.has(id)) resultsCache.delete(id);
}

// A draft nobody has answered: what participants will be asked, compactly (no empty bars).
function draftPreview(poll) {
  const node = el("div", { class: "poll-preview", "data-testid": `results-${poll.id}` });
  const kind = staffKind(poll.kind);
  const note = kind ? kind.describe(poll) : "";
  if (poll.options.length) {
    const key = hasAnswerKey(poll);
    node.append(el("ol", { class: "option-chips" }, poll.options.map((option, i) =>
      el("li", { class: option.correct && key ? "is-correct" : null, title: option.correct && key ? t("The correct answer") : null },
        el("span", { class: "chip-letter", text: String.fromCharCode(65 + i) }),
        el("span", { class: "chip-text", text: option.label }),
        option.correct && key ? icon("check") : null))));
    if (note) node.append(el("p", { class: "preview-note", text: note }));
  } else {
    node.append(el("p", { class: "preview-note", text: note }));
  }
  return node;
}

export function pollCard(poll, item, index, count, isLive) {
  const view = state.view;
  const onScreen = view.live.screen_mode === "results" && view.live.screen_poll_id === poll.id;
  const responses = countFor(poll);
  const disabled = !canRun();

  const tags = [
    el("span", { class: `status-badge ${poll.status}`, "data-testid": `status-${poll.id}`, text: STATUS_LABEL[poll.status] || poll.status }),
    el("span", { class: "tag", text: kindSummary(poll) }),
    isFreeText(poll) ? heldBadge(poll) : null,
    poll.allow_change ? null : el("span", { class: "tag", title: t("Participants cannot change their answer"), text: t("One answer each") }),
    poll.settings && poll.settings.premoderate
      ? el("span", { class: "tag tag-moderated", title: t("Answers wait for a moderator before anyone sees them") }, icon("shield"), t("Moderated answers"))
      : null,
    resultsMode(poll) !== "on_reveal"
      ? el("span", { class: "tag", title: t("When participants see the results") }, icon("eye"), MODE_TAGS[resultsMode(poll)] || resultsMode(poll))
      : null,
    poll.results_revealed && revealMatters(poll) ? el("span", { class: "tag tag-revealed" }, icon("eye"), hasAnswerKey(poll) ? t("Answer revealed") : t("Results on phones")) : null,
    onScreen ? el("span", { class: "tag tag-screen" }, icon("monitor"), t("On screen")) : null,
  ];

  const tools = el("div", { class: "card-tools" },
    el("button", { type: "button", class: "icon-button", title: t("Move up"), "aria-label": t("Move up"), "data-testid": `move-up-${poll.id}`, disabled: disabled || index === 0, onclick: (ev) => act("staff:poll_move", { poll_id: poll.id, direction: "up" }, { button: ev.currentTarget }) }, icon("up")),
    el("button", { type: "button", class: "icon-button", title: t("Move down"), "aria-label": t("Move down"), "data-testid": `move-down-${poll.id}`, disabled: disabled || index === count - 1, onclick: (ev) => act("staff:poll_move", { poll_id: poll.id, direction: "down" }, { button: ev.currentTarget }) }, icon("down")),
    el("span", { class: "tools-sep", "aria-hidden": "true" }),
    el("button", { type: "button", class: "icon-button", title: t("Edit poll"), "aria-label": t("Edit poll"), "data-testid": `edit-${poll.id}`, disabled, onclick: () => desk.editor.open(item, poll) }, icon("edit")),
    el("button", {
      type: "button", class: "icon-button", title: t("Reset: delete every answer"), "aria-label": t("Reset answers"), "data-testid": `reset-${poll.id}`, disabled,
      onclick: (ev) => {
        if (!confirm(tn("Delete the %(num)s answer to “%(question)s”? This cannot be undone.", "Delete all %(num)s answers to “%(question)s”? This cannot be undone.", countFor(poll), { question: poll.question }))) return;
        act("staff:poll_reset", { poll_id: poll.id }, { button: ev.currentTarget, success: t("Answers cleared") });
      },
    }, icon("reset")),
    el("button", {
      type: "button", class: "icon-button danger", title: t("Delete poll"), "aria-label": t("Delete poll"), "data-testid": `delete-${poll.id}`, disabled,
      onclick: (ev) => {
        const answers = countFor(poll);
        const extra = answers ? ` ${tn("Its %(num)s answer will be lost.", "Its %(num)s answers will be lost.", answers)}` : "";
        if (!confirm(t("Delete the poll “%(question)s”?", { question: poll.question }) + extra)) return;
        act("staff:poll_delete", { poll_id: poll.id }, { button: ev.currentTarget, success: t("Poll deleted") });
      },
    }, icon("trash")));

  let primary;
  if (poll.status === "open") {
    primary = el("button", { type: "button", class: "button stop", "data-testid": `close-${poll.id}`, disabled, onclick: (ev) => act("staff:poll_close", { poll_id: poll.id }, { button: ev.currentTarget, success: t("Poll closed") }) }, icon("stop"), t("Close poll"));
  } else {
    primary = el("button", { type: "button", class: "button primary", "data-testid": `open-${poll.id}`, disabled, onclick: (ev) => act("staff:poll_open", { poll_id: poll.id }, { button: ev.currentTarget, success: isLive ? t("Poll open: phones can answer") : t("Poll open (its session is not live yet)") }) }, icon("play"), poll.status === "closed" ? t("Reopen") : t("Open poll"));
  }
  const quiz = hasAnswerKey(poll);
  const revealWords = quiz
    ? { on: t("Hide answer"), off: t("Reveal answer"), title: t("Show the correct answer and the results on phones and the projector"), shown: t("Answer revealed"), hidden: t("Answer hidden again") }
    : { on: t("Hide results"), off: t("Reveal results"), title: t("Whether participants see the results on their phones"), shown: t("Results shown on phones"), hidden: t("Results hidden from phones") };
  const reveal = revealMatters(poll) ? el("button", {
    type: "button", class: `button toggle${poll.results_revealed ? " on" : ""}`, "aria-pressed": poll.results_revealed ? "true" : "false",
    "data-testid": `reveal-${poll.id}`, disabled, title: revealWords.title,
    onclick: (ev) => act("staff:poll_reveal", { poll_id: poll.id, revealed: !poll.results_revealed }, {
      button: ev.currentTarget, success: poll.results_revealed ? revealWords.hidden : revealWords.shown,
    }),
  }, icon(poll.results_revealed ? "eyeOff" : "eye"), poll.results_revealed ? revealWords.on : revealWords.off) : null;
  const screen = el("button", {
    type: "button", class: `button toggle${onScreen ? " on" : ""}`, "aria-pressed": onScreen ? "true" : "false",
    "data-testid": `screen-poll-${poll.id}`, disabled, title: onScreen ? t("Take the results off the projector (back to join instructions)") : t("Show the live results on the projector"),
    onclick: (ev) => (onScreen ? setScreen("join", null, ev.currentTarget) : setScreen("results", poll.id, ev.currentTarget)),
  }, icon("monitor"), onScreen ? t("Take off screen") : t("Show on screen"));

  const warning = poll.status === "open" && !isLive
    ? el("p", { class: "card-warning", "data-testid": `not-live-${poll.id}` }, icon("alert"),
      el("span", { text: t("Open, but phones can't see it: its session is not live.") }),
      el("button", { type: "button", class: "link-button", disabled, onclick: (ev) => setLive(item.id, ev.currentTarget) }, t("Go live")))
    : null;

  return el("article", { class: `poll-card status-${poll.status}${onScreen ? " on-screen" : ""}`, "data-testid": `console-poll-${poll.id}`, dataset: { pollId: String(poll.id), status: poll.status } },
    el("header", { class: "poll-card-head" },
      el("span", { class: "poll-index", text: String(index + 1) }),
      el("div", { class: "poll-tags" }, ...tags),
      tools,
      el("h3", { class: "poll-question", "data-testid": `question-${poll.id}`, text: poll.question })),
    warning,
    isFreeText(poll) ? heldPanel(poll) : null,
    poll.status === "draft" && responses === 0 ? draftPreview(poll) : resultsNode(poll),
    poll.status === "draft" && responses === 0 ? null : groupTools(poll, { groups: view.groups, live: view.live, canRun: !disabled }),
    staffExtras(poll).section ? staffExtras(poll).section(poll, staffTools) : null,
    el("footer", { class: "poll-actions" },
      primary, reveal, screen,
      el("span", { class: "spacer" }),
      el("span", { class: "response-count" },
        el("strong", { "data-testid": `count-${poll.id}`, dataset: { countFor: String(poll.id) }, text: String(responses) }),
        el("span", { dataset: { nounFor: String(poll.id) }, text: tn("response", "responses", responses) }))));
}
