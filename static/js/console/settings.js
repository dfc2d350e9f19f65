// The console's event settings: one dialog with the event's details, its days and its sessions.
// Forms the user has typed in are not overwritten by other facilitators' changes; moderators may
// read the settings, only facilitators may save them (the server checks too).
import { el } from "../live.js";
import { decorateIcons } from "../icons.js";
import { formatDate, plural } from "../text.js";
import { act, errorText } from "./actions.js";
import { $, canRun, days, desk, findItem } from "./store.js";
import { t } from "../i18n.js";

const { state } = desk;

export function createEventSettings() {
  const dialog = $('[data-testid="settings-dialog"]');
  const eventForm = $('[data-testid="event-form"]', dialog);
  const itemForm = $('[data-testid="item-form"]', dialog);
  const dayForms = $('[data-testid="day-forms"]', dialog);
  const picker = $('[data-testid="settings-sessions"]', dialog);
  const errorBox = $('[data-testid="settings-error"]', dialog);
  let tab = "event";
  let itemId = null;
  // Forms the user has typed in are not overwritten by other facilitators' changes.
  const dirty = { event: false, item: false, days: new Set() };

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.classList.toggle("hidden", !message);
  }

  function markDirty(form, isDirty) {
    form.classList.toggle("is-dirty", isDirty);
  }

  function showTab(name) {
    tab = name;
    for (const button of dialog.querySelectorAll("[data-tab]")) {
      const active = button.dataset.tab === name;
      button.classList.toggle("active", active);
      button.setAttribute("aria-selected", active ? "true" : "false");
    }
    for (const panel of dialog.querySelectorAll("[data-panel]")) panel.classList.toggle("hidden", panel.dataset.panel !== name);
    showError("");
  }

  function fillEvent() {
    const event = state.view.event;
    for (const name of ["title", "hosts", "objective", "outcomes", "helpline", "title_sw", "helpline_sw"]) eventForm.elements[name].value = event[name] || "";
    dirty.event = false;
    markDirty(eventForm, false);
  }

  function renderDays() {
    const list = days();
    const ids = list.map((d) => String(d.id)).join(",");
    if (dayForms.dataset.ids !== ids) {
      dayForms.replaceChildren();
      dirty.days.clear();
      for (const day of list) dayForms.append(dayForm(day));
      dayForms.dataset.ids = ids;
      decorateIcons(dayForms);
    }
    for (const day of list) {
      const form = dayForms.querySelector(`[data-day-id="${day.id}"]`);
      if (!form || dirty.days.has(day.id)) continue;
      form.elements.title.value = day.title;
      form.elements.date.value = day.date || "";
      $(".day-form-sessions", form).textContent = plural(day.items.length, "session") + (day.date ? " · " + formatDate(day.date, "long") : "");
      markDirty(form, false);
    }
  }

  function dayForm(day) {
    const form = el("form", { class: "day-form", novalidate: true, "data-testid": `day-form-${day.id}`, dataset: { dayId: String(day.id) } },
      el("div", { class: "field" },
        el("label", { class: "field-label", for: `day-title-${day.id}`, text: t("Title") }),
        el("input", { id: `day-title-${day.id}`, name: "title", maxlength: "120", required: true, "data-testid": `day-title-${day.id}` })),
      el("div", { class: "field" },
        el("label", { class: "field-label", for: `day-date-${day.id}`, text: t("Date") }),
        el("input", { id: `day-date-${day.id}`, name: "date", type: "date", "data-testid": `day-date-${day.id}` })),
      el("div", { class: "day-form-foot" },
        el("span", { class: "day-form-sessions muted small" }),
        el("span", { class: "dirty-note", text: t("Unsaved") }),
        el("button", { type: "submit", class: "button primary", "data-testid": `day-save-${day.id}` }, t("Save day"))));
    form.addEventListener("input", () => { dirty.days.add(day.id); markDirty(form, true); });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const payload = { day_id: day.id, title: form.elements.title.value, date: form.elements.date.value || "" };
      const reply = await save("staff:day_save", payload, $("button[type=submit]", form), t("Day saved"));
      if (reply) { dirty.days.delete(day.id); markDirty(form, false); }
    });
    return form;
  }

  function renderPicker() {
    picker.replaceChildren();
    for (const day of days()) {
      picker.append(el("p", { class: "picker-day", text: day.title }));
      for (const item of day.items) {
        picker.append(el("button", {
          type: "button", class: `picker-item${item.id === itemId ? " active" : ""}${item.is_break ? " is-break" : ""}`,
          "aria-current": item.id === itemId ? "true" : null, "data-testid": `settings-item-${item.id}`,
          onclick: () => {
            if (item.id === itemId) return;
            if (dirty.item && !confirm(t("Discard the unsaved changes to this session?"))) return;
            itemId = item.id;
            fillItem();
            renderPicker();
          },
        }, el("span", { class: "picker-time", text: item.starts_at }), el("span", { class: "picker-title", text: item.title })));
      }
    }
  }

  function fillItem() {
    const item = findItem(itemId);
    if (!item) return;
    const f = itemForm.elements;
    f.title.value = item.title;
    f.starts_at.value = item.starts_at;
    f.ends_at.value = item.ends_at;
    f.facilitator.value = item.facilitator || "";
    f.points.value = (item.points || []).join("\n");
    f.title_sw.value = item.title_sw || "";
    f.points_sw.value = (item.points_sw || []).join("\n");
    f.question_mode.value = item.question_mode;
    f.questions_to.value = item.questions_to || "";
    for (const name of ["involves_children", "children_led", "split_by_group", "is_break"]) f[name].checked = !!item[name];
    dirty.item = false;
    markDirty(itemForm, false);
  }

  async function save(name, payload, button, success) {
    showError("");
    // An error shows in the dialog, above the form (a toast could hide the dialog's buttons).
    const reply = await act(name, payload, { button, success, quiet: true });
    if (!reply.ok) showError(errorText(reply));
    return reply.ok;
  }

  eventForm.addEventListener("input", () => { dirty.event = true; markDirty(eventForm, true); });
  itemForm.addEventListener("input", () => { dirty.item = true; markDirty(itemForm, true); });
  itemForm.addEventListener("change", () => { dirty.item = true; markDirty(itemForm, true); });

  eventForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = eventForm.elements;
    const payload = { title: f.title.value, hosts: f.hosts.value, objective: f.objective.value, outcomes: f.outcomes.value, helpline: f.helpline.value, title_sw: f.title_sw.value, helpline_sw: f.helpline_sw.value };
    if (await save("staff:event_save", payload, $('[data-testid="event-save"]', dialog), t("Event details saved"))) {
      dirty.event = false;
      markDirty(eventForm, false);
    }
  });

  itemForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = itemForm.elements;
    const payload = {
      item_id: itemId,
      title: f.title.value,
      starts_at: f.starts_at.value,
      ends_at: f.ends_at.value,
      facilitator: f.facilitator.value,
      points: f.points.value,
      title_sw: f.title_sw.value,
      points_sw: f.points_sw.value,
      question_mode: f.question_mode.value,
      questions_to: f.questions_to.value,
    };
    for (const name of ["involves_children", "children_led", "split_by_group", "is_break"]) payload[name] = f[name].checked;
    if (await save("staff:item_save", payload, $('[data-testid="item-save"]', dialog), t("Session saved"))) {
      dirty.item = false;
      markDirty(itemForm, false);
    }
  });

  for (const button of dialog.querySelectorAll("[data-tab]")) button.addEventListener("click", () => showTab(button.dataset.tab));
  $('[data-action="close"]', dialog).addEventListener("click", () => dialog.close());
  dialog.addEventListener("cancel", (ev) => {
    if ((dirty.event || dirty.item || dirty.days.size) && !confirm(t("Close without saving your changes?"))) ev.preventDefault();
  });

  function open(name = "event", forItem = null) {
    if (!state.view) return;
    itemId = forItem ?? (findItem(itemId) ? itemId : state.selectedItemId);
    fillEvent();
    dayForms.dataset.ids = "";
    renderDays();
    fillItem();
    renderPicker();
    showTab(name);
    lockForRole();
    dialog.showModal();
    const active = picker.querySelector(".picker-item.active");
    if (name === "sessions" && active) active.scrollIntoView({ block: "nearest" });
  }

  // Moderators may read the settings; only facilitators may save them (the server checks too).
  function lockForRole() {
    for (const button of dialog.querySelectorAll('button[type="submit"]')) {
      button.disabled = !canRun();
      button.title = canRun() ? "" : t("Only facilitators can change the programme");
    }
  }

  function onState() {
    if (!dialog.open) return;
    if (!dirty.event) fillEvent();
    renderDays();
    lockForRole();
    if (!findItem(itemId)) itemId = state.selectedItemId;
    if (!dirty.item) fillItem();
    renderPicker();
  }

  return { open, onState };
}
