// The moderation panel's frame, built once: a drawer under the console's top bar with its head
// (connection, session picker, "show questions on projector", tabs by status), the toggle in the
// top bar with its counts, and what the head shows (the chosen session, the highlighted
// question, the toolbar to approve several at once).
import { el } from "../live.js";
import { icon } from "../icons.js";
import { plural } from "../text.js";
import { SCREEN_LABELS } from "../console/actions.js";
import { approveSelected, setHighlight, showOnProjector } from "./actions.js";
import { ensureQueue } from "./data.js";
import { closeForm } from "./queue.js";
import { t, tn } from "../i18n.js";
import {
  TABS, countsFor, findModItem, findQuestion, highlightedId, mod, modItems, modLiveItemId, root,
  shownItemId, shownQueue, shownQuestions, totalWaiting, ui,
} from "./state.js";

export function buildFrame() {
  root.classList.add("moderation");
  root.setAttribute("aria-label", t("Questions and help requests"));
  root.setAttribute("tabindex", "-1");

  ui.connection = el("span", { class: "mod-conn", "data-testid": "mod-connection", role: "status" });
  ui.close = el("button", { type: "button", class: "mod-icon-button", "aria-label": t("Close the questions panel"), title: t("Close (Esc)"), "data-testid": "questions-close", onclick: () => setOpen(false) }, icon("close"));
  ui.session = el("select", { class: "mod-session", "data-testid": "mod-session", "aria-label": t("Session whose questions are shown"), onchange: onSessionChange });
  ui.screenButton = el("button", { type: "button", class: "mod-button mod-screen", "data-testid": "screen-questions-mod", title: t("Show the question wall on the projector"), onclick: showOnProjector },
    icon("monitor"), el("span", { text: t("Show questions on projector") }));
  ui.sessionMeta = el("p", { class: "mod-session-meta", "data-testid": "mod-session-meta" });
  ui.tabs = el("div", { class: "mod-tabs", role: "tablist", "aria-label": t("Questions by status"), "data-testid": "mod-tabs" });
  ui.tabButtons = new Map();
  for (const tab of TABS) {
    const count = el("span", { class: "mod-tab-count", "data-testid": `mod-count-${tab.key}`, text: "0" });
    const button = el("button", { type: "button", role: "tab", class: `mod-tab tab-${tab.key}`, "data-testid": `mod-tab-${tab.key}`, onclick: () => setTab(tab.key) },
      el("span", { class: "mod-tab-label", text: tab.short || tab.label }), count);
    ui.tabButtons.set(tab.key, { button, count });
    ui.tabs.append(button);
  }

  ui.helpSection = el("section", { class: "mod-help hidden", "data-testid": "help-section", "aria-labelledby": "mod-help-title" });
  ui.helpCount = el("span", { class: "mod-help-count", "data-testid": "help-count" });
  ui.helpList = el("ul", { class: "mod-help-list", "data-testid": "help-list" });
  ui.helpSection.append(
    el("h3", { class: "mod-help-title", id: "mod-help-title" }, icon("lifebuoy"), el("span", { text: t("Help requests") }), ui.helpCount),
    ui.helpList);

  ui.projector = el("div", { class: "mod-projector", "data-testid": "mod-projector" });
  ui.notice = el("div", { class: "mod-notice hidden", role: "alert", "data-testid": "mod-error" });
  ui.toolbar = el("div", { class: "mod-toolbar", "data-testid": "mod-toolbar" });
  ui.list = el("ol", { class: "mod-list", "data-testid": "mod-queue", "aria-live": "off" });
  ui.empty = el("div", { class: "mod-empty hidden", "data-testid": "mod-empty" });
  ui.scroll = el("div", { class: "mod-scroll" }, ui.helpSection, ui.projector, ui.toolbar, ui.notice, ui.list, ui.empty);
  ui.last = el("div", { class: "mod-last hidden", role: "status", "data-testid": "mod-last-action" });

  root.append(
    el("header", { class: "mod-head" },
      el("div", { class: "mod-title-row" },
        el("h2", { class: "mod-title" }, icon("message"), el("span", { text: t("Questions") })),
        ui.connection, el("span", { class: "mod-spacer" }), ui.close),
      el("div", { class: "mod-session-row" }, ui.session, ui.screenButton),
      ui.sessionMeta,
      ui.tabs),
    ui.scroll,
    ui.last);

  // The toggle lives in the top bar (added here, so that console.html only holds the container).
  // The toggle's name is what it shows ("Questions", the counts); what the counts mean is its
  // description (so the accessible name always contains the visible label).
  ui.badge = el("span", { class: "mod-badge", "data-testid": "questions-badge", text: "0" });
  ui.helpBadge = el("span", { class: "mod-badge help hidden", "data-testid": "help-badge" });
  ui.toggleDescription = el("span", { class: "sr-only", id: "mod-toggle-description" });
  ui.toggle = el("button", { type: "button", class: "tb-button mod-toggle", "data-testid": "questions-toggle", "aria-expanded": "false", "aria-controls": "moderation-root", "aria-describedby": "mod-toggle-description", title: t("Questions and help requests"), onclick: () => setOpen(!mod.open) },
    icon("message"), el("span", { class: "mod-toggle-label", text: t("Questions") }), ui.badge, ui.helpBadge, ui.toggleDescription);
  const topbar = document.querySelector(".topbar");
  const before = topbar && topbar.querySelector('[data-testid="settings-open"]');
  if (before) before.before(ui.toggle);
  else if (topbar) topbar.append(ui.toggle);
  else document.body.prepend(ui.toggle);

  // The help alert: above everything, whether the panel is open or not.
  ui.alert = el("div", { class: "mod-alert hidden", role: "alert", "data-testid": "help-alert" });
  document.body.append(ui.alert);

  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && mod.open && root.contains(document.activeElement) && !document.querySelector("dialog[open]")) {
      const form = ev.target.closest && ev.target.closest("[data-form-for]");
      if (form) closeForm(Number(form.dataset.formFor));
      else setOpen(false);
    }
  });
}

// The drawer starts under the top bar and under console.js's banner when it shows one (for a
// moderator, or an expired login), so that neither is covered.
function placeDrawer() {
  const topbar = document.querySelector(".topbar");
  const banner = document.querySelector('[data-testid="console-banner"]');
  let top = topbar ? topbar.getBoundingClientRect().bottom : 64;
  if (banner && !banner.classList.contains("hidden")) top = Math.max(top, banner.getBoundingClientRect().bottom);
  root.style.top = `${Math.round(top)}px`;
}

export function watchLayout() {
  placeDrawer();
  window.addEventListener("resize", placeDrawer);
  const banner = document.querySelector('[data-testid="console-banner"]');
  if (banner) new MutationObserver(placeDrawer).observe(banner, { attributes: true, childList: true, subtree: true, characterData: true });
}

export function setOpen(open, { focus = true } = {}) {
  mod.open = open;
  root.classList.toggle("is-open", open);
  root.toggleAttribute("inert", !open);
  root.setAttribute("aria-hidden", open ? "false" : "true");
  ui.toggle.setAttribute("aria-expanded", open ? "true" : "false");
  ui.toggle.classList.toggle("active", open);
  document.body.classList.toggle("mod-open", open);
  try { localStorage.setItem("roundtable.moderation.open", open ? "1" : "0"); } catch { /* private mode */ }
  if (open) {
    mod.render();
    if (focus) root.focus({ preventScroll: true });
  } else if (focus && root.contains(document.activeElement)) {
    ui.toggle.focus();
  }
}

function setTab(key) {
  mod.tab = key;
  ui.scroll.scrollTop = 0;
  mod.render();
}

function onSessionChange() {
  const value = ui.session.value;
  if (value === "live") {
    mod.follow = true;
    mod.itemId = null;
  } else {
    mod.follow = false;
    mod.itemId = Number(value);
  }
  mod.selected.clear();
  ui.scroll.scrollTop = 0;
  ensureQueue();
  mod.render();
}

export function renderToggle() {
  const waiting = totalWaiting();
  ui.badge.textContent = String(waiting);
  ui.badge.classList.toggle("zero", waiting === 0);

  const helpText = mod.help.size ? ", " + tn("%(num)s open help request", "%(num)s open help requests", mod.help.size) : "";
  ui.toggle.title = tn("%(num)s question waiting for a moderator", "%(num)s questions waiting for a moderator", waiting) + helpText;
  ui.toggleDescription.textContent = tn("%(num)s question waiting", "%(num)s questions waiting", waiting) + helpText;
  ui.helpBadge.classList.toggle("hidden", mod.help.size === 0);
  ui.helpBadge.replaceChildren();
  if (mod.help.size) ui.helpBadge.append(icon("lifebuoy"), String(mod.help.size));
  ui.toggle.classList.toggle("has-help", mod.help.size > 0);
}

export function renderModConnection() {
  const online = mod.client && mod.client.socket && mod.client.socket.connected;
  ui.connection.textContent = online ? "" : t("Reconnecting…");
  ui.connection.classList.toggle("hidden", Boolean(online));
  root.classList.toggle("is-offline", !online);
}

let pickerSignature = "";
export function renderSessionPicker() {
  const live = modLiveItemId();
  const items = modItems().filter((item) => !item.is_break || countsFor(item.id).pending + countsFor(item.id).published > 0);
  const liveItem = findModItem(live);
  const options = [["live", liveItem ? `Live now: ${liveItem.title}` : t("Live session (nothing is live)"), null]];
  let day = null;
  for (const item of items) {
    if (item.dayTitle !== day) {
      day = item.dayTitle;
      options.push(["group", day, null]);
    }
    const waiting = countsFor(item.id).pending;
    const total = Object.values(countsFor(item.id)).reduce((a, b) => a + b, 0);
    const tail = waiting ? ` · ${waiting} waiting` : total ? ` · ${plural(total, "question")}` : "";
    options.push([String(item.id), `${item.starts_at}  ${item.title}${item.id === live ? " (live)" : ""}${tail}`, item.id]);
  }
  const value = mod.follow ? "live" : String(mod.itemId);
  const signature = JSON.stringify([options, value]);
  if (signature !== pickerSignature) {
    // Rebuilt only when something changed, so an open drop-down is not closed under the pointer.
    pickerSignature = signature;
    ui.session.replaceChildren();
    let group = ui.session;
    for (const [key, label] of options) {
      if (key === "group") {
        group = el("optgroup", { label });
        ui.session.append(group);
      } else if (key === "live") {
        ui.session.append(el("option", { value: key, text: label }));
      } else {
        group.append(el("option", { value: key, text: label }));
      }
    }
    ui.session.value = value;
  }

  const item = findModItem(shownItemId());
  ui.sessionMeta.replaceChildren();
  if (item) {
    const isLive = item.id === live;
    const chips = [];
    chips.push(el("span", { class: `mod-chip ${isLive ? "live" : "quiet"}`, text: isLive ? t("Live") : t("Not live") }));
    if (item.question_mode === "premoderated" || item.involves_children) chips.push(el("span", { class: "mod-chip mode", text: t("Pre-moderated: every question waits") }));
    else if (item.question_mode === "open") chips.push(el("span", { class: "mod-chip mode", text: t("Open: published unless flagged") }));
    else chips.push(el("span", { class: "mod-chip quiet", text: t("Closed to new questions") }));
    if (item.involves_children) chips.push(el("span", { class: "mod-chip children", text: t("Children: names hidden") }));
    if (item.questions_to) chips.push(el("span", { class: "mod-chip to", text: t("To %(who)s", { who: item.questions_to }) }));
    ui.sessionMeta.append(...chips);
  }
  ui.sessionMeta.classList.toggle("hidden", !item);

  const mode = mod.view.live.screen_mode;
  const onScreen = mode === "questions";
  ui.screenButton.classList.toggle("active", onScreen);
  ui.screenButton.setAttribute("aria-pressed", onScreen ? "true" : "false");
  ui.screenButton.lastChild.textContent = onScreen ? t("Questions on projector") : t("Show questions on projector");
  ui.screenButton.title = onScreen ? t("The projector shows the question wall") : `The projector shows ${SCREEN_LABELS[mode] || mode}: show the question wall instead`;
}

export function renderModTabs() {
  const counts = shownQueue() ? shownQueue().counts : countsFor(shownItemId());
  for (const tab of TABS) {
    const { button, count } = ui.tabButtons.get(tab.key);
    const n = tab.statuses.reduce((sum, status) => sum + (counts[status] || 0), 0);
    count.textContent = String(n);
    count.classList.toggle("zero", n === 0);
    const active = tab.key === mod.tab;
    button.classList.toggle("active", active);
    button.setAttribute("aria-selected", active ? "true" : "false");
  }
}

export function renderHighlight() {
  ui.projector.replaceChildren();
  const id = highlightedId();
  if (id === null || id === undefined) {
    ui.projector.classList.add("hidden");
    return;
  }
  ui.projector.classList.remove("hidden");
  const question = findQuestion(id);
  const tab = TABS.find((t) => t.key === mod.tab);
  if (question && question.item_id === shownItemId() && tab.statuses.includes(question.status)) {
    // Its card, right below, is marked already.
    ui.projector.classList.add("hidden");
    return;
  }
  const onScreen = mod.view.live.screen_mode === "questions";
  ui.projector.append(
    el("span", { class: "mod-projector-icon" }, icon("star")),
    el("div", { class: "mod-projector-body" },
      el("p", { class: "mod-projector-label", text: onScreen ? t("Highlighted on the projector") : `Highlighted (the projector shows ${SCREEN_LABELS[mod.view.live.screen_mode] || "something else"} now)` }),
      el("p", { class: "mod-projector-text", "data-testid": "highlighted-text", text: question ? question.text : t("A question from another session") })),
    el("button", { type: "button", class: "mod-button small", "data-testid": "unhighlight", onclick: () => setHighlight(null) }, icon("close"), t("Remove highlight")));
}

export function renderToolbar() {
  ui.toolbar.replaceChildren();
  const queue = shownQueue();
  const waiting = shownQuestions().filter((q) => q.status === "pending");
  if (mod.tab !== "pending" || !queue || waiting.length === 0) {
    ui.toolbar.classList.add("hidden");
    ui.approveSelected = null;
    return;
  }
  ui.toolbar.classList.remove("hidden");
  const ticked = waiting.filter((q) => mod.selected.has(q.id)).length;
  const all = el("input", { type: "checkbox", class: "mod-check", "data-testid": "select-all", "aria-label": t("Select every waiting question") });
  all.checked = ticked > 0 && ticked === waiting.length;
  all.indeterminate = ticked > 0 && ticked < waiting.length;
  all.addEventListener("change", () => {
    if (all.checked) for (const q of waiting) mod.selected.add(q.id);
    else mod.selected.clear();
    mod.render();
  });
  ui.approveSelected = el("button", { type: "button", class: "mod-button primary small", "data-testid": "approve-selected", disabled: ticked === 0, onclick: approveSelected },
    icon("checks"), ticked ? `Approve selected (${ticked})` : t("Approve selected"));
  ui.toolbar.append(
    el("label", { class: "mod-select-all" }, all, el("span", { text: ticked ? `${ticked} of ${waiting.length} selected` : t("Select all") })),
    el("span", { class: "mod-spacer" }),
    ui.approveSelected);
}
