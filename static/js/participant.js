// The participant's phone page: the entry module. It makes the one protocol client (live.js),
// applies what the server sends to the page's state (participant/state.js), and wires the panels:
//   participant/now-card.js      the live session, a break, or waiting
//   participant/tabs.js          Polls | Questions
//   participant/poll-list.js     the polls, one participant/poll-card.js each (answer widgets
//                                from kinds/*.js; votes in participant/votes.js)
//   participant/question-wall.js the question wall and its ask box (participant/ask-box.js)
//   participant/help-sheet.js    "I need help / report something"
//   participant/connection.js    the connection pill and banner
import { LiveClient } from "./live.js";
import { renderPill, setPhoneConnection } from "./participant/connection.js";
import { HelpSheet, fillHelpline } from "./participant/help-sheet.js";
import { applyMyHelp, applyOwnHelp } from "./participant/help-status.js";
import { loadNickname } from "./participant/nickname.js";
import { renderNow } from "./participant/now-card.js";
import { reconcilePolls, renderPolls } from "./participant/poll-list.js";
import { QuestionWall } from "./participant/question-wall.js";
import { HELP_FALLBACK, loadHeld, mergeTally, phone, saveHeld, setHeld } from "./participant/state.js";
import { renderQuestionsCount, renderTabs, startTabs } from "./participant/tabs.js";
import { notify } from "./participant/toast.js";
import { resumeVotes } from "./participant/votes.js";
import { notePhoneSplit, notePhoneView } from "./phone-split.js";

const { state } = phone;
const titleNode = document.getElementById("event-title");
const helplineNode = document.getElementById("helpline-text");

// --- applying what the server sends -----------------------------------------------------------

function applyPhoneView(view) {
  state.view = view;
  reconcilePolls(view);
  for (const tally of Object.values(view.tallies || {})) mergeTally(tally);
  notePhoneView(view);

  titleNode.textContent = view.event.title;
  titleNode.title = view.event.title;
  fillHelpline(helplineNode, view.helpline || HELP_FALLBACK);
  document.title = view.item ? `${view.item.title} · Roundtable` : `${view.event.title} · Roundtable`;
  renderTabs();
  renderPill();
  renderNow();
  renderPolls();
  questionWall.applyView(view);
  helpSheet.render();
}

function onPhoneSnapshot(reply) {
  // A snapshot's `mine` is the truth for every visible poll, except for answers acknowledged
  // after the snapshot was asked for: on reconnect the snapshot and a resent vote race, and the
  // snapshot may have been read before the vote was committed.
  const newer = [...state.answers].filter(([, answer]) => (answer.ack || 0) > state.snapshotMark);
  state.answers.clear();
  const mine = reply.mine || {};
  for (const poll of reply.view.polls) {
    const answer = mine[String(poll.id)];
    if (answer) state.answers.set(poll.id, { answer, generation: poll.generation ?? 0 });
  }
  for (const [id, answer] of newer) state.answers.set(id, answer);
  // Held free text: from the snapshot when the server sends it ({poll_id: [texts]}); otherwise
  // keep what the vote acks said, for texts that are still part of the stored answer.
  for (const poll of reply.view.polls) {
    const fromServer = reply.held && reply.held[String(poll.id)];
    if (Array.isArray(fromServer)) {
      setHeld(poll.id, fromServer, poll.generation);
      continue;
    }
    const entry = state.held.get(poll.id);
    const answer = (state.answers.get(poll.id) || {}).answer;
    if (!entry) continue;
    const texts = new Set((answer && (answer.words || answer.texts)) || []);
    entry.texts = entry.texts.filter((text) => texts.has(text));
  }
  if (reply.held) {
    for (const id of [...state.held.keys()]) if (!(String(id) in reply.held)) state.held.delete(id);
  }
  saveHeld();
  questionWall.applySnapshot(reply);
  applyMyHelp(reply.my_help);
  applyPhoneView(reply.view);
}

function onPhoneTally(tally) {
  mergeTally(tally);
  const card = phone.cards.get(tally.poll_id);
  if (card) card.renderResults(card.poll);
}

// --- connection status ------------------------------------------------------------------------

function setConnection(status, message) {
  setPhoneConnection(status, message, [questionWall, helpSheet]);
}

function onPhoneStatus(status) {
  if (status === "online") setConnection("online");
  else if (status === "offline") setConnection(state.everOnline && navigator.onLine ? "reconnecting" : "offline");
  // "refused" is handled by onRefused, which has the reason.
}

function onPhoneRefused(data) {
  if (data.code === "not_joined") {
    window.location.replace(phone.joinUrl);
    return;
  }
  setConnection("refused", data.message);
}

// --- start ------------------------------------------------------------------------------------

const phoneClient = new LiveClient({
  role: "participant",
  code: phone.code,
  onSnapshot: onPhoneSnapshot,
  onState: applyPhoneView,
  onTally: onPhoneTally,
  onStatus: onPhoneStatus,
  onRefused: onPhoneRefused,
});
// Note when each snapshot is asked for (live.js asks on every connect and on a revision gap).
const requestSnapshot = LiveClient.prototype.snapshot;
phoneClient.snapshot = function snapshot() {
  state.snapshotMark = state.acks;
  return requestSnapshot.call(this);
};
phone.client = phoneClient;
phone.renderPolls = renderPolls;
phone.notify = notify;

const questionWall = new QuestionWall({
  client: phoneClient,
  panel: document.getElementById("panel-questions"),
  code: phone.code,
  isChild: phone.isChild,
  onChange: renderQuestionsCount,
});
const helpSheet = new HelpSheet({
  client: phoneClient,
  dialog: document.getElementById("help-sheet"),
  // Until a view arrives, the helpline the server put in the page.
  helpline: () => (state.view ? state.view.helpline : null) || helplineNode.textContent || HELP_FALLBACK,
  toast: notify,
});

loadHeld();
loadNickname();
startTabs();
resumeVotes();

phoneClient.connect();
phoneClient.socket.on("group_tally", (split) => {
  if (!notePhoneSplit(split)) return;
  const card = phone.cards.get(split.poll_id);
  if (card) card.renderResults(card.poll);
});
// The question wall's own messages (the live session's wall; this participant's own questions).
phoneClient.socket.on("wall", (wall) => questionWall.onWall(wall));
phoneClient.socket.on("wall_delta", (delta) => questionWall.onWallDelta(delta) || phoneClient.snapshot());
phoneClient.socket.on("my_question", (question) => questionWall.onMyQuestion(question));
// The own help request: taken ("on the way"), a private reply, handled.
phoneClient.socket.on("help_status", applyOwnHelp);
// A question that was still on its way when the page was last closed or reloaded.
questionWall.resume();
phoneClient.socket.io.on("reconnect_attempt", () => {
  if (state.connection !== "refused") setConnection(navigator.onLine ? "reconnecting" : "offline");
});
// The browser often knows about a lost network long before the socket's ping times out.
window.addEventListener("offline", () => {
  if (state.connection !== "refused") setConnection("offline");
});
window.addEventListener("online", () => {
  if (state.connection !== "refused") setConnection(phoneClient.socket.connected ? "online" : "reconnecting");
});
