// "I need help / report something": a private message to the facilitators (help:send), never
// shown on the wall or the projector. Sent with retry, so it also works from a phone that is
// offline for a moment: the sheet says it will go when the phone is back online, and shows the
// helpline at once.
import { el } from "../live.js";
import { setText, tidy, updateCounter } from "../text.js";

const HELP_MAX = 500; // roundtable/models/questions.py MAX_HELP_MESSAGE

// The helpline as text, with each phone number ("116") made a link that calls it: on a phone,
// one tap. Only digits go into the link; everything is inserted as text.
export function fillHelpline(node, text) {
  const key = String(text || "");
  if (node.dataset.text === key) return;
  node.dataset.text = key;
  const parts = key.split(/(\b\d{3,12}\b)/);
  node.replaceChildren(
    ...parts.map((part, index) =>
      index % 2 ? el("a", { class: "helpline-number", href: `tel:${part}`, text: part }) : document.createTextNode(part),
    ),
  );
}

export class HelpSheet {
  constructor({ client, dialog, helpline = () => "", toast = () => {} }) {
    this.client = client;
    this.dialog = dialog;
    this.helpline = helpline;
    this.toast = toast;
    this.kind = null;
    this.sending = null; // the request on its way
    this.connection = "connecting";
    const $ = (id) => document.getElementById(id);
    this.form = $("help-form");
    this.message = $("help-message");
    this.counter = $("help-message-count");
    this.send = $("help-send");
    this.chooseHint = $("help-choose");
    this.error = $("help-error");
    this.waiting = $("help-waiting");
    this.confirm = $("help-confirm");
    this.helplineText = $("help-helpline-text");
    this.done = $("help-done");
    this.kinds = [...dialog.querySelectorAll(".help-kind")];

    for (const opener of document.querySelectorAll("[data-help-open]")) opener.addEventListener("click", () => this.open());
    for (const closer of dialog.querySelectorAll("[data-help-close]")) closer.addEventListener("click", () => this.close());
    for (const button of this.kinds) button.addEventListener("click", () => this.pick(button.dataset.kind));
    this.message.addEventListener("input", () => {
      updateCounter(this.counter, this.message.value.length, HELP_MAX);
      this.error.classList.add("hidden");
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    // A tap on the dimmed backdrop (outside the sheet) closes it, as on every phone sheet.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) this.close();
    });
    dialog.addEventListener("close", () => this.onClosed());
  }

  open() {
    if (this.dialog.open) return;
    this.render();
    if (typeof this.dialog.showModal === "function") this.dialog.showModal();
    else this.dialog.setAttribute("open", ""); // very old browsers: still shown, just not modal
    document.body.classList.add("sheet-open");
  }

  close() {
    if (typeof this.dialog.close === "function" && this.dialog.open) this.dialog.close();
    else {
      this.dialog.removeAttribute("open");
      this.onClosed();
    }
  }

  onClosed() {
    document.body.classList.remove("sheet-open");
    // After a confirmation, the next opening starts afresh.
    if (this.dialog.classList.contains("is-confirmed")) this.reset();
  }

  reset() {
    this.kind = null;
    this.message.value = "";
    this.dialog.classList.remove("is-confirmed");
    this.render();
  }

  pick(kind) {
    if (this.sending) return;
    this.kind = kind;
    this.error.classList.add("hidden");
    this.render();
  }

  setConnection(status) {
    this.connection = status;
    this.render();
  }

  setHelpline(text) {
    if (text) fillHelpline(this.helplineText, text);
  }

  submit() {
    if (this.sending || !this.kind) return;
    const payload = { kind: this.kind };
    const message = tidy(this.message.value);
    if (message) payload.message = message.slice(0, HELP_MAX);
    const request = { payload };
    this.sending = request;
    this.error.classList.add("hidden");
    if (this.dialog.contains(document.activeElement)) document.activeElement.blur();
    this.render();
    this.client.request("help:send", payload, { retry: true }).then((reply) => this.onAck(request, reply));
  }

  onAck(request, reply) {
    if (this.sending !== request) return;
    this.sending = null;
    if (reply && reply.ok) {
      if (reply.helpline) this.setHelpline(reply.helpline);
      this.dialog.classList.add("is-confirmed");
      if (!this.dialog.open) {
        // Sent after the participant closed the sheet (it waited for the connection): say so.
        this.toast("Your message reached the facilitators. They will come to you.");
        this.reset();
        return;
      }
      this.render();
      this.confirm.focus();
    } else {
      const error = (reply && reply.error) || {};
      // A refusal (too many messages) still carries the helpline in its message.
      setText(this.error, error.message || "Your message could not be sent. Please tell a facilitator in person.");
      this.error.classList.remove("hidden");
      this.render();
    }
  }

  render() {
    const confirmed = this.dialog.classList.contains("is-confirmed");
    this.form.classList.toggle("hidden", confirmed);
    this.confirm.classList.toggle("hidden", !confirmed);
    this.done.classList.toggle("hidden", !confirmed);
    this.setHelpline(this.helpline());
    for (const button of this.kinds) {
      const chosen = button.dataset.kind === this.kind;
      button.setAttribute("aria-pressed", String(chosen));
      button.classList.toggle("selected", chosen);
      button.disabled = Boolean(this.sending);
    }
    this.message.disabled = Boolean(this.sending);
    updateCounter(this.counter, this.message.value.length, HELP_MAX);
    this.send.disabled = !this.kind || Boolean(this.sending);
    setText(this.send, this.sending ? "Sending…" : "Send to a facilitator");
    this.send.classList.toggle("is-sending", Boolean(this.sending));
    this.chooseHint.classList.toggle("hidden", Boolean(this.kind));
    const offline = ["offline", "reconnecting", "refused"].includes(this.connection);
    const waitingText = this.sending
      ? offline
        ? "You're offline. Your message will be sent when you are back online. You can close this: it will still go."
        : "Sending…"
      : offline
        ? "You're offline right now. You can still send: your message will be sent when you are back online."
        : "";
    setText(this.waiting, waitingText);
    this.waiting.classList.toggle("hidden", !waitingText || (this.sending && !offline));
    this.waiting.classList.toggle("is-queued", Boolean(this.sending));
  }
}
