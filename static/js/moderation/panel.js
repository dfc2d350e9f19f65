// The moderation panel of the facilitator console: the question queue, help requests, the
// highlighted question. console.js starts it with the console's one protocol client; the panel
// only adds its own listeners ("queue", "help", "state") and requests (mod:*, help:handle).
// Its parts: state.js (what it holds), frame.js (the drawer and its head), queue.js (the cards),
// actions.js, help.js, notices.js, sound.js, data.js.
import { errorText } from "../console/actions.js";
import { applyQueue, ensureQueue } from "./data.js";
import {
  buildFrame, renderHighlight, renderModConnection, renderModTabs, renderSessionPicker, renderToggle, renderToolbar,
  setOpen, watchLayout,
} from "./frame.js";
import { dropAlert, raiseAlert, renderAlert, renderHelpList } from "./help.js";
import { showNotice } from "./notices.js";
import { renderList } from "./queue.js";
import { findQuestion, mod, resetClock, root, shownQuestions, ui } from "./state.js";

// --- data in ------------------------------------------------------------------------------------

// The parts of a staff view this panel uses (from a snapshot or a "state").
function applyModView(view) {
  const previousZone = mod.view && mod.view.event ? mod.view.event.timezone : null;
  mod.view = { event: view.event, agenda: view.agenda || [], live: view.live || {}, question_counts: view.question_counts || {} };
  if (view.event && view.event.timezone !== previousZone) resetClock();
  if (view.queue) applyQueue(view.queue);
  for (const request of view.help || []) {
    if (!mod.handledHelp.has(request.id)) mod.help.set(request.id, request);
  }
}

async function loadSnapshot() {
  const reply = await mod.client.request("snapshot", {});
  if (!reply || !reply.ok) {
    showNotice(errorText(reply));
    return;
  }
  const view = reply.view;
  mod.revision = Math.max(mod.revision, view.revision);
  // After a reconnect, queues of other sessions may have missed changes: forget them (the one
  // on screen is asked for again) and take the open help requests as they are now.
  for (const id of [...mod.queues.keys()]) if (id !== view.live.item_id) mod.queues.delete(id);
  mod.loading.clear();
  const known = new Set(mod.help.keys());
  mod.help.clear();
  mod.handledHelp.clear();
  applyModView(view);
  if (view.queue) mod.queues.set(view.queue.item_id, view.queue);
  for (const id of mod.alerts.slice()) if (!mod.help.has(id)) dropAlert(id);
  // Help asked for while this console was offline deserves the same alert (not on the first
  // load: the open requests then show in the list and on the toggle).
  if (mod.loaded) {
    const missed = [...mod.help.values()].filter((request) => !known.has(request.id));
    missed.forEach((request, index) => raiseAlert(request, { sound: index === 0 }));
  }
  mod.loaded = true;
  ensureQueue();
  mod.render();
}

function onModState(view) {
  if (typeof view.revision !== "number" || view.revision <= mod.revision) return;
  mod.revision = view.revision;
  applyModView(view);
  ensureQueue();
  mod.render();
}

function onModQueue(queue) {
  if (applyQueue(queue)) mod.render();
}

function onModHelp(data) {
  const request = data && data.request;
  if (!request) return;
  if (data.alert && request.status === "open" && !mod.handledHelp.has(request.id)) {
    mod.help.set(request.id, request);
    raiseAlert(request);
  } else if (request.status !== "open") {
    mod.help.delete(request.id);
    mod.handledHelp.add(request.id);
    dropAlert(request.id);
  }
  mod.render();
}

// --- rendering ---------------------------------------------------------------------------------

function renderModeration() {
  if (!ui.toggle) return;
  renderToggle();
  renderAlert();
  if (!mod.open || !mod.view) {
    renderModConnection();
    return;
  }
  pruneLocal();
  renderModConnection();
  renderSessionPicker();
  renderModTabs();
  renderHelpList();
  renderHighlight();
  renderToolbar();
  renderList();
}

// Forget ticks, forms and busy marks of questions that moved on.
function pruneLocal() {
  const byId = new Map(shownQuestions().map((q) => [q.id, q]));
  for (const id of [...mod.selected]) {
    const q = byId.get(id);
    if (!q || q.status !== "pending") mod.selected.delete(id);
  }
  for (const [id, form] of [...mod.forms]) {
    const q = findQuestion(id);
    const allowed = form.mode === "edit" ? ["pending"] : ["pending", "published"];
    if (!q || !allowed.includes(q.status)) mod.forms.delete(id);
  }
}

// --- start ---------------------------------------------------------------------------------------

function attach(client) {
  mod.client = client;
  const socket = client.socket;
  socket.on("queue", onModQueue);
  socket.on("help", onModHelp);
  socket.on("state", onModState);
  socket.on("connect", loadSnapshot);
  socket.on("disconnect", () => mod.render());
  if (socket.connected) loadSnapshot();
  mod.render();
}

// Build the panel and follow the console's client (called once by console.js).
export function startModeration(client) {
  if (!root) return;
  mod.render = renderModeration;
  buildFrame();
  watchLayout();
  let saved = null;
  try { saved = localStorage.getItem("roundtable.moderation.open"); } catch { /* private mode */ }
  // Moderators come for the questions: open the panel for them unless they closed it before.
  setOpen(saved === null ? mod.role === "moderator" : saved === "1", { focus: false });
  attach(client);
  window.roundtableModeration = mod;
}
