// The facilitator console's state, shared by its panels (console.js wires them).
//
// How it stays correct with several facilitators at once:
// - the server's staff view is the only truth. Every "state" re-renders the agenda, the session
//   pane and the side panel from it; what belongs to this browser only (the selected session, the
//   day in view, an open editor or settings dialog, the focused button) is kept outside the view
//   and survives each re-render;
// - an action is a socket request whose acknowledgement only says whether it worked: the change
//   itself shows up through the "state" that the server broadcasts to every console;
// - tallies are kept per poll (newest seq wins, see LiveClient) and drawn in place by the poll's
//   kind, so results animate instead of being rebuilt on every vote.
//
// `desk` also carries what the panels call on each other, set by console.js, so that no panel
// imports the page that imports it: client, render(), editor.open(item, poll),
// settings.open(tab, itemId).
export const desk = {
  code: document.body.dataset.code,
  shortAddress: document.body.dataset.shortAddress,
  joinUrl: document.body.dataset.joinUrl,
  state: {
    view: null, // the latest staff view
    presence: 0,
    tallies: new Map(), // String(poll id) -> newest tally
    me: { username: document.body.dataset.username, role: document.body.dataset.role },
    selectedItemId: null,
    renderedItemId: null, // the session the pane showed last time (to reset its scroll on change)
    flashPollId: null, // a poll just saved: scrolled to and highlighted once
    queue: null, // the live session's question queue (a "queue" event may be newer than the view's)
    agendaScrolled: false, // the selected session was brought into view once
  },
  client: null,
  render: () => {},
  editor: { open: () => {}, onState: () => {} },
  settings: { open: () => {}, onState: () => {} },
};

const { state } = desk;

export const $ = (selector, root = document) => root.querySelector(selector);

export const canRun = () => state.me.role === "admin" || state.me.role === "facilitator";

// --- the agenda of a staff view -----------------------------------------------------------------

// Every agenda item of a staff view, with its day's id, title and date (the moderation panel
// reads the same view).
export function itemsOf(view) {
  if (!view) return [];
  return view.agenda.flatMap((day) => day.items.map((item) => ({ ...item, dayId: day.id, dayTitle: day.title, dayDate: day.date })));
}

export function days() {
  return state.view ? state.view.agenda : [];
}

export function allItems() {
  return itemsOf(state.view);
}

export function findItem(id) {
  return allItems().find((item) => item.id === id) || null;
}

export function findPoll(id) {
  for (const item of allItems()) {
    const poll = item.polls.find((p) => p.id === id);
    if (poll) return { poll, item };
  }
  return null;
}

export function liveItemId() {
  return state.view ? state.view.live.item_id : null;
}

// --- polls --------------------------------------------------------------------------------------

// The freshest tally of a poll, or null. A tally from before the poll's last reset is ignored.
export function tallyFor(poll) {
  const tally = state.tallies.get(String(poll.id));
  if (!tally || (tally.generation ?? 0) < (poll.generation ?? 0)) return null;
  return tally;
}

export function countFor(poll) {
  const tally = tallyFor(poll);
  if (tally) return tally.total;
  return (state.view && state.view.response_counts[String(poll.id)]) || 0;
}

// When participants see a poll's results (poll.results_mode; "on_reveal" when the server has none).
export const resultsMode = (poll) => poll.results_mode || "on_reveal";
