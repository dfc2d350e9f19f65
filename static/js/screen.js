// The projector page: follows the facilitator's choice of what the room sees, without reloads.
//
// The server sends the screen view ({revision, event, mode, item, next, poll, tally, agenda, wall,
// highlighted}) as a snapshot on every (re)connect and as "state" after every change; "tally"
// messages update the poll on screen a few times a second, and "wall" messages the top questions.
// Each mode is a <section data-mode-view> in screen.html: this entry module only switches between
// them and hands the view to the panel of the mode (screen/*.js). No controls: nobody touches a
// projector.
import { LiveClient } from "./live.js";
import { renderNowNext, renderScreenAgenda } from "./screen/agenda-panel.js";
import { ResultsPanel } from "./screen/results-panel.js";
import { WallPanel } from "./screen/wall-panel.js";
import { t } from "./i18n.js";

const screenNodes = Object.fromEntries([
  ["eventTitle", "event-title"], ["status", "poll-status"], ["count", "poll-count"], ["question", "poll-question"],
  ["hint", "poll-hint"], ["chart", "poll-chart"], ["agendaTitle", "agenda-title"], ["agendaDays", "agenda-days"],
  ["agendaList", "agenda-list"], ["spotlight", "spotlight"], ["spotlightText", "spotlight-text"],
  ["spotlightName", "spotlight-name"], ["spotlightUpvotes", "spotlight-upvotes"], ["questionsTop", "questions-top"],
  ["questionList", "question-list"], ["questionsEmpty", "questions-empty"], ["nowNext", "now-next"], ["now", "nn-now"],
  ["nowTitle", "nn-now-title"], ["nowTime", "nn-now-time"], ["next", "nn-next"], ["nextTitle", "nn-next-title"],
  ["nextTime", "nn-next-time"], ["connection", "connection"],
].map(([name, id]) => [name, document.getElementById(id)]));

const results = new ResultsPanel(screenNodes);
const wall = new WallPanel(screenNodes);
let view = null; // the latest screen view
let refused = false;

function showMode(mode) {
  if (document.body.dataset.mode === mode) return;
  document.body.dataset.mode = mode; // screen.css keys the frame (top bar, now/next strip) on this
  for (const section of document.querySelectorAll("[data-mode-view]")) {
    section.hidden = section.dataset.modeView !== mode;
  }
}

// The event's title in the screen's languages (screen.html's bi_content: "both" shows the
// Kiswahili under the English, once when they are the same or one is missing).
const LANGUAGES = (document.body.dataset.lang || "").split(" ").filter(Boolean);

function fillTitle(node, event) {
  const texts = LANGUAGES.length > 1
    ? LANGUAGES.map((lang) => [lang, lang === "sw" && (event.title_sw || "").trim() ? event.title_sw : event.title])
    : [[null, event.title]];
  const shown = texts.filter(([, text], index) => index === 0 || text !== texts[0][1]);
  const key = JSON.stringify(shown);
  if (node.dataset.shown === key) return;
  node.dataset.shown = key;
  if (shown.length === 1) {
    node.textContent = shown[0][1];
    return;
  }
  node.replaceChildren(...shown.flatMap(([lang, text], index) => {
    const span = document.createElement("span");
    span.lang = lang;
    if (index) span.className = "alt-lang";
    span.textContent = text;
    return index ? [" ", span] : [span];
  }));
}

function renderScreen() {
  if (refused || !view) return;
  const title = view.event && view.event.title;
  if (title) {
    fillTitle(screenNodes.eventTitle, view.event);
    document.title = t("Screen") + ` · ${title}`;
  }
  // A mode this page does not know (a newer server) falls back to the join instructions.
  let mode = view.mode;
  if (mode === "results" && !view.poll) mode = "join";
  if (!document.querySelector(`[data-mode-view="${mode}"]`) || mode === "refused") mode = "join";
  if (mode === "results") results.render(view);
  if (mode === "agenda") renderScreenAgenda(screenNodes, view);
  if (mode === "questions") wall.render(view);
  renderNowNext(screenNodes, view);
  showMode(mode);
}

// --- connection ----------------------------------------------------------------------------

let offlineTimer = null;

function onScreenStatus(status) {
  // A blip of a second is not worth alarming the room: the badge waits before it appears.
  clearTimeout(offlineTimer);
  if (status === "offline") {
    offlineTimer = setTimeout(() => { screenNodes.connection.hidden = false; }, 1500);
  } else {
    screenNodes.connection.hidden = true;
  }
}

function onScreenRefused() {
  refused = true;
  clearTimeout(offlineTimer);
  screenNodes.connection.hidden = true;
  screenNodes.nowNext.hidden = true;
  showMode("refused");
  screenClient.socket.disconnect(); // a wrong key stays wrong: stop retrying
}

function applyScreenView(next) {
  view = next;
  renderScreen();
}

const screenClient = new LiveClient({
  role: "screen",
  code: document.body.dataset.code,
  key: document.body.dataset.key,
  onSnapshot: (reply) => applyScreenView(reply.view),
  onState: applyScreenView,
  onTally: (tally) => {
    if (view && view.mode === "results" && view.poll) results.onTally(tally);
  },
  onStatus: onScreenStatus,
  onRefused: onScreenRefused,
});
screenClient.connect();
// live.js has no hook for the question wall: listen on its socket directly.
screenClient.socket.on("wall", (message) => {
  if (wall.accept(message) && view && view.mode === "questions") wall.render(view);
});
// The poll on screen split by stakeholder group (screen-split.js): its live updates.
screenClient.socket.on("group_tally", (split) => {
  if (view && view.mode === "results" && view.poll) results.onGroupTally(split);
});
window.addEventListener("resize", () => results.refit(view));
