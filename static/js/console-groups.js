// The console's "By group" view of a poll and the projector split.
//
// groupTools(poll, {client, groups, live, canRun}) returns a panel for a poll card (kept across
// re-renders, like the result drawings): a "By group" toggle that shows every group's results
// under the disclosure control (staff:group_results, asked again whenever the poll's tally
// arrives, so it follows the room at the tally's pace), and the projector split: the groups to
// put side by side on the screen (staff:screen with groups).
import { renderColumns } from "./group-columns.js";
import { el } from "./live.js";
import { toast } from "./console/actions.js";
import { t } from "./i18n.js";

const panels = new Map(); // poll id -> {node, open, chosen: Set, columns, busy, again}
let client = null;

export function installConsoleGroups(liveClient) {
  client = liveClient;
  client.socket.on("tally", (tally) => {
    const entry = panels.get(tally.poll_id);
    if (entry && entry.open) refresh(tally.poll_id);
  });
}

function defaultChoice(groups) {
  // Children beside the duty bearers, beside everyone: the comparison the programme asks for.
  const keys = groups.map((g) => g.key);
  const chosen = ["children", "isp"].filter((k) => keys.includes(k));
  return new Set([...(chosen.length ? chosen : keys.slice(0, 2)), "everyone"]);
}

async function refresh(pollId) {
  const entry = panels.get(pollId);
  if (!entry || !client) return;
  if (entry.busy) {
    entry.again = true;
    return;
  }
  entry.busy = true;
  const reply = await client.request("staff:group_results", { poll_id: pollId });
  entry.busy = false;
  if (reply && reply.ok) {
    entry.result = reply.result;
    draw(entry);
  }
  if (entry.again) {
    entry.again = false;
    refresh(pollId);
  }
}

function draw(entry) {
  if (!entry.result || !entry.poll) return;
  renderColumns(entry.columns, entry.poll, entry.result, { testid: `group-${entry.poll.id}` });
}

export function groupTools(poll, { groups, live, canRun }) {
  let entry = panels.get(poll.id);
  if (!entry) {
    entry = { open: false, chosen: defaultChoice(groups), columns: el("div", { class: "group-columns" }) };
    entry.node = el("section", { class: "group-tools", "data-testid": `group-tools-${poll.id}` });
    panels.set(poll.id, entry);
  }
  entry.poll = poll;
  const onScreen = live.screen_mode === "results" && live.screen_poll_id === poll.id;
  const splitOn = onScreen && (live.screen_groups || []).length > 0;
  if (splitOn) entry.chosen = new Set(live.screen_groups);

  const toggle = el("button", {
    type: "button", class: `button small-button toggle${entry.open ? " on" : ""}`, "aria-expanded": entry.open ? "true" : "false",
    "data-testid": `by-group-${poll.id}`, title: t("Results by stakeholder group (small groups are never shown on their own)"),
    onclick: () => {
      entry.open = !entry.open;
      toggle.classList.toggle("on", entry.open);
      toggle.setAttribute("aria-expanded", entry.open ? "true" : "false");
      body.hidden = !entry.open;
      if (entry.open) refresh(poll.id);
    },
  }, t("By group"));

  const choices = [...groups, { key: "everyone", label: t("Everyone") }].map((group) => {
    const box = el("input", { type: "checkbox", value: group.key, "data-testid": `split-choice-${poll.id}-${group.key}` });
    box.checked = entry.chosen.has(group.key);
    box.disabled = !canRun;
    box.addEventListener("change", () => {
      if (box.checked) entry.chosen.add(group.key);
      else entry.chosen.delete(group.key);
    });
    return el("label", { class: "split-choice" }, box, el("span", { text: group.label }));
  });
  // Columns in the order they were ticked, "Everyone" last.
  const order = () => [...[...entry.chosen].filter((k) => k !== "everyone"), ...(entry.chosen.has("everyone") ? ["everyone"] : [])];
  const show = el("button", {
    type: "button", class: "button small-button primary", "data-testid": `screen-split-${poll.id}`, disabled: !canRun,
    title: t("Put this poll on the projector, split by the groups ticked, side by side"),
    onclick: async (ev) => {
      const chosen = order();
      if (!chosen.length) return toast("Tick at least one group to show.", "error");
      if (chosen.length > 4) return toast("Choose at most four columns for the screen.", "error");
      const button = ev.currentTarget; // gone from the event once it has been dispatched
      button.disabled = true;
      const reply = await client.request("staff:screen", { mode: "results", poll_id: poll.id, groups: chosen });
      button.disabled = false;
      if (reply && reply.ok) toast("Projector shows the results by group", "ok");
      else toast((reply && reply.error && reply.error.message) || "That did not work.", "error");
    },
  }, splitOn ? t("Update split on screen") : t("Show split on screen"));
  const unsplit = splitOn ? el("button", {
    type: "button", class: "button small-button ghost", "data-testid": `screen-unsplit-${poll.id}`, disabled: !canRun,
    onclick: () => client.request("staff:screen", { mode: "results", poll_id: poll.id }),
  }, t("Show without split")) : null;

  const body = el("div", { class: "group-body" },
    entry.columns,
    el("div", { class: "split-picker" },
      el("p", { class: "split-picker-title", text: t("On the projector, side by side:") }),
      el("div", { class: "split-choices" }, ...choices),
      el("div", { class: "split-actions" }, show, unsplit)));
  body.hidden = !entry.open;
  entry.node.replaceChildren(
    el("div", { class: "group-tools-head" }, toggle,
      splitOn ? el("span", { class: "tag tag-screen", "data-testid": `split-on-screen-${poll.id}` }, t("Split on screen")) : null),
    body);
  if (entry.open && entry.result) draw(entry);
  return entry.node;
}
