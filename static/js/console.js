// The facilitator console: the entry module. It makes the one protocol client (live.js), applies
// the staff view and tallies to the console's state (console/store.js), and wires the panels:
//   console/agenda.js       the agenda, by day
//   console/session.js      the selected session and its polls (console/poll-card.js, with the
//                           held answers of free-text polls in console/held.js)
//   console/projector.js    what the projector shows, what phones see now, the open polls
//   console/poll-editor.js  the poll editor (each kind's settings from kinds/*.js)
//   console/settings.js     the event, its days and its sessions
//   console/topbar.js       the projector link, the connection, the banner
//   moderation/panel.js     the question queue and help requests (a drawer)
import { LiveClient } from "./live.js";
import { installConsoleGroups } from "./console-groups.js";
import { decorateIcons } from "./icons.js";
import { renderAgendaPanel } from "./console/agenda.js";
import { refreshHeld, isFreeText } from "./console/held.js";
import { PollEditor } from "./console/poll-editor.js";
import { redrawResults } from "./console/poll-card.js";
import { redrawPreview, renderSide } from "./console/projector.js";
import { renderSession } from "./console/session.js";
import { createEventSettings } from "./console/settings.js";
import { $, allItems, countFor, desk, findPoll, liveItemId } from "./console/store.js";
import { applyRole, setConsoleConnection, showBanner } from "./console/topbar.js";
import { startModeration } from "./moderation/panel.js";
import { t, tn } from "./i18n.js";

const { state } = desk;
const stats = {
  presence: $('[data-testid="presence-count"]'),
  responseTotal: $('[data-testid="response-total"]'),
  topTitle: $('[data-testid="event-title"]'),
};

// --- rendering --------------------------------------------------------------------------------

function applyConsoleView(view) {
  state.view = view;
  noteQueue(view.queue);
  const items = allItems();
  if (!items.some((item) => item.id === state.selectedItemId)) state.selectedItemId = defaultItemId(items);
  renderConsole();
  desk.editor.onState();
  desk.settings.onState();
}

function defaultItemId(items) {
  const fromHash = /^#item-(\d+)$/.exec(location.hash);
  if (fromHash && items.some((i) => i.id === Number(fromHash[1]))) return Number(fromHash[1]);
  const live = liveItemId();
  if (live !== null && items.some((i) => i.id === live)) return live;
  const first = items.find((i) => !i.is_break) || items[0];
  return first ? first.id : null;
}

function renderConsole() {
  if (!state.view) return;
  // Re-rendering replaces buttons: give focus back to the same control (same test id) afterwards.
  const focused = document.activeElement && document.activeElement.closest(".console-grid [data-testid]");
  const focusId = focused ? focused.dataset.testid : null;

  stats.topTitle.textContent = state.view.event.title;
  stats.topTitle.title = state.view.event.title;
  document.title = `Console · ${state.view.event.title}`;
  renderStats();
  renderAgendaPanel();
  renderSession();
  renderSide();
  decorateIcons();

  if (focusId) {
    const again = document.querySelector(`[data-testid="${CSS.escape(focusId)}"]`);
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }
}

function renderStats() {
  stats.presence.textContent = String(state.presence);
  let total = 0;
  for (const item of allItems()) for (const poll of item.polls) total += countFor(poll);
  stats.responseTotal.textContent = String(total);
}

// A new tally: update that poll's results and counts in place.
function applyConsoleTally(tally) {
  const id = String(tally.poll_id);
  const previous = state.tallies.get(id);
  if (previous && previous.seq > tally.seq) return;
  state.tallies.set(id, tally);
  const found = findPoll(tally.poll_id);
  if (!found) return;
  const { poll } = found;
  redrawResults(poll);
  if (isFreeText(poll)) refreshHeld(poll);
  const count = countFor(poll);
  for (const node of document.querySelectorAll(`[data-count-for="${id}"]`)) node.textContent = String(count);
  for (const node of document.querySelectorAll(`[data-noun-for="${id}"]`)) node.textContent = tn("response", "responses", count);
  redrawPreview(poll);
  renderStats();
}

// The live session's question queue, newest seq wins (for the projector preview). The moderation
// panel keeps its own copy; this one only draws the "Questions" preview.
function noteQueue(queue) {
  if (!queue || queue.item_id !== liveItemId()) return false;
  if (state.queue && state.queue.item_id === queue.item_id && state.queue.seq > queue.seq) return false;
  state.queue = queue;
  return true;
}

// --- connect ----------------------------------------------------------------------------------

const staffClient = new LiveClient({
  role: "staff",
  code: desk.code,
  onSnapshot(reply) {
    const view = reply.view;
    if (typeof view.presence === "number") state.presence = view.presence;
    for (const [id, tally] of Object.entries(view.tallies || {})) {
      const previous = state.tallies.get(id);
      if (!previous || tally.seq >= previous.seq) state.tallies.set(id, tally);
    }
    if (view.me) state.me = view.me;
    applyRole();
    applyConsoleView(view);
  },
  onState: applyConsoleView,
  onTally: applyConsoleTally,
  onPresence(data) {
    state.presence = data.participants;
    renderStats();
  },
  onStatus: setConsoleConnection,
  onRefused(data) {
    if (data.code === "login_required") {
      showBanner("Your login has expired.", { href: `/staff/login?next=${encodeURIComponent(location.pathname)}`, text: t("Log in again") });
    } else {
      showBanner(data.message || "The console could not connect.");
    }
  },
});
desk.client = staffClient;
desk.render = renderConsole;
desk.editor = new PollEditor($('[data-testid="poll-editor"]'));
desk.settings = createEventSettings();

decorateIcons();
setConsoleConnection("connecting");
staffClient.connect();
installConsoleGroups(staffClient);
staffClient.socket.on("queue", (queue) => {
  if (state.view && noteQueue(queue) && state.view.live.screen_mode === "questions") renderSide();
});
startModeration(staffClient);

// For manual checks in the browser console and for end-to-end tests.
window.roundtableConsole = { state, client: staffClient, joinUrl: desk.joinUrl };
