// Polls | Questions (n): the phone's two tabs, shown while a session is live. Before the first
// session and during breaks there is little to switch between: both panels then show one under
// the other (the questions panel only says that questions are closed, and lists the
// participant's own questions if they have any).
import { renderNow } from "./now-card.js";
import { phone, tabsShown } from "./state.js";

const { state } = phone;
const tabNodes = {
  tabs: document.getElementById("tabs"),
  tabPolls: document.getElementById("tab-polls"),
  tabQuestions: document.getElementById("tab-questions"),
  questionsCount: document.getElementById("tab-questions-count"),
  panelPolls: document.getElementById("panel-polls"),
  panelQuestions: document.getElementById("panel-questions"),
};

export function renderTabs() {
  const shown = tabsShown();
  tabNodes.tabs.classList.toggle("hidden", !shown);
  document.body.dataset.tab = shown ? state.tab : "all";
  for (const [tab, button, panel] of [
    ["polls", tabNodes.tabPolls, tabNodes.panelPolls],
    ["questions", tabNodes.tabQuestions, tabNodes.panelQuestions],
  ]) {
    const selected = state.tab === tab;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    panel.hidden = shown && !selected;
    if (shown) panel.setAttribute("role", "tabpanel");
    else panel.removeAttribute("role");
  }
}

function selectTab(tab, { focus = false } = {}) {
  if (tab !== "polls" && tab !== "questions") return;
  const changed = state.tab !== tab;
  state.tab = tab;
  try {
    sessionStorage.setItem(phone.keys.tab, tab);
  } catch {
    // Storage unavailable: the tab is kept while the page is open.
  }
  renderTabs();
  renderNow();
  if (focus) (tab === "polls" ? tabNodes.tabPolls : tabNodes.tabQuestions).focus();
  // Deep in a long list, the tab bar sticks under the header: start the new panel at its top.
  if (changed && tabsShown()) {
    const bar = tabNodes.tabs.getBoundingClientRect();
    const panel = (tab === "polls" ? tabNodes.panelPolls : tabNodes.panelQuestions).getBoundingClientRect();
    if (panel.top < bar.bottom) window.scrollBy(0, panel.top - bar.bottom - 8);
  }
}

// The wall's size on the Questions tab.
export function renderQuestionsCount(count) {
  const node = tabNodes.questionsCount;
  const text = count ? String(count) : "";
  if (node.textContent !== text) node.textContent = text;
  node.classList.toggle("hidden", !count);
  node.setAttribute("aria-label", count === 1 ? "1 question" : `${count} questions`);
}

// The tab from before a reload, or the one a link asks for (/e/<code>#questions); then the
// buttons, the arrow keys and the address's #hash.
export function startTabs() {
  try {
    state.tab = sessionStorage.getItem(phone.keys.tab) === "questions" ? "questions" : "polls";
  } catch {
    state.tab = "polls";
  }
  if (window.location.hash === "#questions") state.tab = "questions";
  else if (window.location.hash === "#polls") state.tab = "polls";
  window.addEventListener("hashchange", () => {
    if (window.location.hash === "#questions" || window.location.hash === "#polls") selectTab(window.location.hash.slice(1));
  });
  tabNodes.tabPolls.addEventListener("click", () => selectTab("polls"));
  tabNodes.tabQuestions.addEventListener("click", () => selectTab("questions"));
  tabNodes.tabs.addEventListener("keydown", (event) => {
    // Arrow keys move between tabs (the ARIA tabs pattern).
    if (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End") {
      event.preventDefault();
      const next = event.key === "Home" ? "polls" : event.key === "End" ? "questions" : state.tab === "polls" ? "questions" : "polls";
      selectTab(next, { focus: true });
    }
  });
}
