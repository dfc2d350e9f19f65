// The projector's agenda (one day, the live session marked) and the now/next strip.
import { el } from "../live.js";
import { formatDate, timeRange } from "../text.js";

function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// One day fits a projector at a readable size: the day of the live session, else today's, else the first.
function dayToShow(view) {
  const days = view.agenda || [];
  const liveId = view.item && view.item.id;
  return (
    days.find((day) => day.items.some((item) => item.id === liveId)) ||
    days.find((day) => day.date === todayIso()) ||
    days[0]
  );
}

// nodes: {agendaTitle, agendaDays, agendaList}
export function renderScreenAgenda(nodes, view) {
  const day = dayToShow(view);
  const list = nodes.agendaList;
  list.replaceChildren();
  if (!day) {
    nodes.agendaTitle.textContent = "Agenda";
    nodes.agendaDays.textContent = "";
    return;
  }
  nodes.agendaTitle.textContent = day.title || "Agenda";
  nodes.agendaDays.textContent = formatDate(day.date, "day");
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

function fillNowNext(box, titleNode, timeNode, item, current) {
  box.hidden = !item;
  if (!item) return;
  titleNode.textContent = item.title;
  // The next session may be on another day (the last session of day 1 is followed by day 2's first).
  const otherDay = current && item.day && current.day && item.day !== current.day;
  timeNode.textContent = otherDay ? `${item.day} · ${item.starts_at || ""}`.trim() : timeRange(item);
}

// nodes: {nowNext, now, nowTitle, nowTime, next, nextTitle, nextTime}
export function renderNowNext(nodes, view) {
  const { item, next } = view;
  nodes.nowNext.hidden = !item && !next;
  fillNowNext(nodes.now, nodes.nowTitle, nodes.nowTime, item, null);
  fillNowNext(nodes.next, nodes.nextTitle, nodes.nextTime, next, item);
}
