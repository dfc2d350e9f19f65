// The projector page: follows the facilitator's choice of what the room sees, without reloads.
//
// The server sends the screen view ({revision, event, mode, item, next, poll, tally, agenda, wall,
// highlighted}) as a snapshot on every (re)connect and as "state" after every change; "tally"
// messages update the poll on screen a few times a second, and "wall" messages the top questions.
// Each mode is a <section data-mode-view> in screen.html: this file only switches between them and
// fills in what changes. No controls: nobody touches a projector.
import { LiveClient, clear, el } from "./live.js";
import { renderResults } from "./charts.js";
import { drawScreenSplit, noteGroupTally, noteScreenView } from "./screen-split.js";

const body = document.body;
const code = body.dataset.code;
const key = body.dataset.key;

const $ = (id) => document.getElementById(id);
const nodes = {
  eventTitle: $("event-title"),
  status: $("poll-status"),
  count: $("poll-count"),
  question: $("poll-question"),
  hint: $("poll-hint"),
  chart: $("poll-chart"),
  agendaTitle: $("agenda-title"),
  agendaDays: $("agenda-days"),
  agendaList: $("agenda-list"),
  spotlight: $("spotlight"),
  spotlightText: $("spotlight-text"),
  spotlightName: $("spotlight-name"),
  spotlightUpvotes: $("spotlight-upvotes"),
  questionsTop: $("questions-top"),
  questionList: $("question-list"),
  questionsEmpty: $("questions-empty"),
  nowNext: $("now-next"),
  now: $("nn-now"),
  nowTitle: $("nn-now-title"),
  nowTime: $("nn-now-time"),
  next: $("nn-next"),
  nextTitle: $("nn-next-title"),
  nextTime: $("nn-next-time"),
  connection: $("connection"),
};

let view = null; // the latest screen view
let shownTally = null; // the tally drawn for view.poll (a "tally" message may be newer than view.tally)
let shownWall = null; // the question wall drawn (a "wall" message may be newer than view.wall)
let refused = false;

// --- modes ---------------------------------------------------------------------------------

function showMode(mode) {
  if (body.dataset.mode === mode) return;
  body.dataset.mode = mode; // screen.css keys the frame (top bar, now/next strip) on this
  for (const section of document.querySelectorAll("[data-mode-view]")) {
    section.hidden = section.dataset.modeView !== mode;
  }
}

function render() {
  if (refused || !view) return;
  const title = view.event && view.event.title;
  if (title) {
    nodes.eventTitle.textContent = title;
    document.title = `Screen · ${title}`;
  }
  // A mode this page does not know (a newer server) falls back to the join instructions.
  let mode = view.mode;
  if (mode === "results" && !view.poll) mode = "join";
  if (!document.querySelector(`[data-mode-view="${mode}"]`) || mode === "refused") mode = "join";
  if (mode === "results") renderPoll();
  if (mode === "agenda") renderAgenda();
  if (mode === "questions") renderQuestions();
  renderNowNext();
  showMode(mode);
}

// --- results -------------------------------------------------------------------------------

const STATUS_TEXT = { open: "Voting open", closed: "Voting closed", draft: "Not open yet" };

function renderPoll() {
  const poll = view.poll;
  // The drawing is rebuilt only when the poll or its option set changes; otherwise charts.js
  // updates it in place so that bars, columns and words animate from one tally to the next.
  const split = view.split ? `:split:${view.split.wanted.join(",")}` : "";
  const shape = `${poll.id}:${poll.kind}:${poll.options.map((o) => o.id).join(",")}${split}`;
  if (nodes.chart.dataset.shape !== shape) {
    clear(nodes.chart);
    delete nodes.chart.dataset.renderer;
    nodes.chart.dataset.shape = shape;
    shownTally = null;
  }
  if (view.tally && view.tally.poll_id === poll.id && isNewer(view.tally, shownTally)) shownTally = view.tally;

  nodes.question.textContent = poll.question;
  // Long questions get a smaller size so that question and chart always fit on one screen.
  const length = poll.question.length;
  nodes.question.dataset.length = length > 140 ? "long" : length > 80 ? "medium" : "short";
  const n = poll.options.length;
  nodes.chart.dataset.kind = poll.kind;
  nodes.chart.dataset.options = String(n);
  nodes.chart.dataset.density = n > 8 ? "dense" : n > 5 ? "compact" : "roomy";

  nodes.status.textContent = STATUS_TEXT[poll.status] || "";
  nodes.status.dataset.status = poll.status;
  nodes.hint.textContent = hintFor(poll);
  nodes.hint.hidden = !nodes.hint.textContent;
  drawTally();
}

// What to do, said once on screen for the kinds where it is not obvious from the question.
function hintFor(poll) {
  const settings = poll.settings || {};
  const n = poll.options.length;
  // Not when the question already says it: "(choose up to 2)", "Put them in order", ...
  const says = (words) => new RegExp(`\\b(${words})\\b`, "i").test(poll.question);
  switch (poll.kind) {
    case "multiple": {
      if (says("choose|select|pick|chagua")) return "";
      const most = Number(settings.max_selections) || n;
      return most >= n ? "Choose all that apply" : `Choose up to ${most}`;
    }
    case "ranking":
      return says("order|rank") ? "" : "Put the options in order";
    case "points":
      return says("points") ? "" : "Share 100 points across the options";
    case "wordcloud": {
      if (says("words?")) return "";
      const most = Number(settings.max_words) || 1;
      return most > 1 ? `Up to ${most} words` : "One word";
    }
    default:
      return "";
  }
}

function isNewer(tally, than) {
  return !than || tally.seq >= than.seq;
}

function drawTally() {
  if (drawScreenSplit(nodes.chart, view)) {
    nodes.chart.dataset.split = "on";
  } else {
    delete nodes.chart.dataset.split;
    renderResults(nodes.chart, view.poll, shownTally);
  }
  if (view.poll.renderer === "cloud" && !nodes.chart.dataset.split) fitCloud();
  const total = shownTally ? shownTally.total : 0;
  nodes.count.replaceChildren(el("strong", { text: String(total) }), total === 1 ? " response" : " responses");
  nodes.count.dataset.total = String(total);
}

// A word cloud must fit the screen whatever the number of words: find the largest base size at
// which it does, on an invisible copy (the real words keep their size transition), then apply it.
const CLOUD_REM = { min: 1.25, max: 3 };

function fitCloud() {
  const cloud = nodes.chart.querySelector(".cloud");
  if (!cloud || cloud.classList.contains("empty")) return;
  const style = getComputedStyle(nodes.chart);
  const room = nodes.chart.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const probe = cloud.cloneNode(true);
  probe.classList.add("cloud-probe");
  probe.style.width = `${cloud.clientWidth}px`;
  nodes.chart.append(probe);
  let low = CLOUD_REM.min;
  let high = CLOUD_REM.max;
  probe.style.fontSize = `${high}rem`;
  if (probe.offsetHeight <= room) {
    low = high;
  } else {
    for (let i = 0; i < 7; i++) {
      const mid = (low + high) / 2;
      probe.style.fontSize = `${mid}rem`;
      if (probe.offsetHeight <= room) low = mid;
      else high = mid;
    }
  }
  probe.remove();
  cloud.style.fontSize = `${low.toFixed(3)}rem`;
}

function onTally(tally) {
  // live.js has already dropped tallies older than one it passed on; only the poll on screen matters.
  if (!view || view.mode !== "results" || !view.poll || tally.poll_id !== view.poll.id) return;
  if (!isNewer(tally, shownTally)) return;
  shownTally = tally;
  drawTally();
}

// --- questions -----------------------------------------------------------------------------

// The newest wall for the live session: a "wall" message may overtake the "state" that carried
// an older one, and the session may change under it.
function acceptWall(wall) {
  if (!wall) return false;
  if (shownWall && shownWall.item_id === wall.item_id && wall.seq < shownWall.seq) return false;
  shownWall = wall;
  return true;
}

function renderQuestions() {
  if (view.wall) acceptWall(view.wall);
  const liveId = view.item && view.item.id;
  const wall = shownWall && shownWall.item_id === liveId ? shownWall : null;
  // The highlighted question is part of the state (the facilitator put it there).
  const highlighted = view.highlighted || null;
  nodes.spotlight.hidden = !highlighted;
  nodes.questionsTop.hidden = Boolean(highlighted);
  if (highlighted) {
    nodes.spotlightText.textContent = highlighted.text;
    const length = highlighted.text.length;
    nodes.spotlightText.dataset.length = length > 200 ? "long" : length > 110 ? "medium" : "short";
    nodes.spotlightName.textContent = highlighted.name || "";
    nodes.spotlightName.hidden = !highlighted.name;
    nodes.spotlightUpvotes.textContent = upvotesText(highlighted.upvotes);
    return;
  }
  const questions = wall ? wall.questions : [];
  // Rows are kept by question id and only moved when the order changes, so that an upvote does
  // not redraw (and re-animate) the whole list.
  const list = nodes.questionList;
  const existing = new Map(Array.from(list.children, (row) => [row.dataset.questionId, row]));
  questions.forEach((question, index) => {
    const id = String(question.id);
    let row = existing.get(id);
    existing.delete(id);
    if (!row) {
      row = el("li", { class: "question-row", dataset: { questionId: id } },
        el("span", { class: "upvotes" }),
        el("span", { class: "question-body" },
          el("span", { class: "question-text" }),
          el("span", { class: "question-name" })));
    }
    const votes = row.querySelector(".upvotes");
    votes.textContent = String(question.upvotes || 0);
    votes.setAttribute("aria-label", upvotesText(question.upvotes));
    row.querySelector(".question-text").textContent = question.text;
    const name = row.querySelector(".question-name");
    name.textContent = question.name || "";
    name.hidden = !question.name;
    if (list.children[index] !== row) list.insertBefore(row, list.children[index] || null);
  });
  for (const gone of existing.values()) gone.remove();
  nodes.questionsEmpty.hidden = questions.length > 0;
}

function upvotesText(n) {
  const count = n || 0;
  return `${count} ${count === 1 ? "upvote" : "upvotes"}`;
}

function onWall(wall) {
  if (!acceptWall(wall)) return;
  if (view && view.mode === "questions") renderQuestions();
}

// --- agenda --------------------------------------------------------------------------------

function timeRange(item) {
  if (!item) return "";
  if (item.starts_at && item.ends_at) return `${item.starts_at}–${item.ends_at}`;
  return item.starts_at || "";
}

function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(`${iso}T12:00:00`);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
}

function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// One day fits a projector at a readable size: the day of the live session, else today's, else the first.
function dayToShow(days) {
  const liveId = view.item && view.item.id;
  return (
    days.find((day) => day.items.some((item) => item.id === liveId)) ||
    days.find((day) => day.date === todayIso()) ||
    days[0]
  );
}

function renderAgenda() {
  const days = view.agenda || [];
  const day = dayToShow(days);
  const list = clear(nodes.agendaList);
  if (!day) {
    nodes.agendaTitle.textContent = "Agenda";
    nodes.agendaDays.textContent = "";
    return;
  }
  nodes.agendaTitle.textContent = day.title || "Agenda";
  nodes.agendaDays.textContent = formatDate(day.date);
  const liveId = view.item && view.item.id;
  const liveIndex = day.items.findIndex((item) => item.id === liveId);
  list.classList.toggle("is-long", day.items.length > 8);
  list.classList.toggle("is-very-long", day.items.length > 11);
  day.items.forEach((item, index) => {
    const live = item.id === liveId;
    const state = live ? "live" : liveIndex >= 0 && index < liveIndex ? "past" : "upcoming";
    list.append(
      el("li", { class: `agenda-item is-${state}${item.is_break ? " is-break" : ""}`, dataset: { itemId: String(item.id) }, "data-testid": live ? "agenda-live" : null },
        el("span", { class: "agenda-time", text: timeRange(item) }),
        el("span", { class: "agenda-name", text: item.title }),
        live ? el("span", { class: "agenda-now", text: "Now" }) : null),
    );
  });
}

// --- now / next ----------------------------------------------------------------------------

function renderNowNext() {
  const { item, next } = view;
  nodes.nowNext.hidden = !item && !next;
  fillNowNext(nodes.now, nodes.nowTitle, nodes.nowTime, item, null);
  fillNowNext(nodes.next, nodes.nextTitle, nodes.nextTime, next, item);
}

function fillNowNext(box, titleNode, timeNode, item, current) {
  box.hidden = !item;
  if (!item) return;
  titleNode.textContent = item.title;
  // The next session may be on another day (the last session of day 1 is followed by day 2's first).
  const otherDay = current && item.day && current.day && item.day !== current.day;
  timeNode.textContent = otherDay ? `${item.day} · ${item.starts_at || ""}`.trim() : timeRange(item);
}

// --- connection ----------------------------------------------------------------------------

let offlineTimer = null;

function onStatus(status) {
  // A blip of a second is not worth alarming the room: the badge waits before it appears.
  clearTimeout(offlineTimer);
  if (status === "offline") {
    offlineTimer = setTimeout(() => { nodes.connection.hidden = false; }, 1500);
  } else {
    nodes.connection.hidden = true;
  }
}

function onRefused() {
  refused = true;
  clearTimeout(offlineTimer);
  nodes.connection.hidden = true;
  nodes.nowNext.hidden = true;
  showMode("refused");
  client.socket.disconnect(); // a wrong key stays wrong: stop retrying
}

function applyView(next) {
  view = next;
  noteScreenView(view);
  render();
}

const client = new LiveClient({
  role: "screen",
  code,
  key,
  onSnapshot: (reply) => applyView(reply.view),
  onState: applyView,
  onTally,
  onStatus,
  onRefused,
});
client.connect();
// live.js has no hook for the question wall: listen on its socket directly.
client.socket.on("wall", onWall);
client.socket.on("group_tally", (split) => {
  if (view && view.mode === "results" && view.poll && noteGroupTally(split)) drawTally();
});
// A projector's resolution can change when the laptop is plugged in: refit what is measured.
window.addEventListener("resize", () => {
  if (view && view.mode === "results" && view.poll && view.poll.renderer === "cloud") fitCloud();
});
