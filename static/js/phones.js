// Feature-phone simulator (templates/phones.html): a basic phone that drives the USSD menu and an
// SMS box, through the same server code as Africa's Talking's callbacks. Every text from the
// server is inserted with textContent.

const body = document.body;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

async function post(url, data) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(data),
    credentials: "same-origin",
  });
  let payload = {};
  try {
    payload = await response.json();
  } catch {
    payload = { reply: null, error: `The server answered ${response.status}.` };
  }
  return payload;
}

// --- USSD ---------------------------------------------------------------------------------

const ussd = { sessionId: null, inputs: [], busy: false };
const screenText = byTestId("ussd-screen");
const count = byTestId("ussd-count");
const input = byTestId("ussd-input");
const sendButton = byTestId("ussd-send");
const cancelButton = byTestId("ussd-cancel");

function randomId() {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return "SIM" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function show(reply) {
  const text = reply || "END The request failed.";
  const open = text.startsWith("CON ");
  screenText.textContent = text.replace(/^(CON|END) /, "");
  count.textContent = `${text.length}/182 characters · ${open ? "waiting for your reply" : "session ended"}`;
  body.dataset.ussdState = open ? "open" : "ended";
  input.disabled = sendButton.disabled = cancelButton.disabled = !open;
  if (open) {
    input.value = "";
    input.focus();
  } else {
    ussd.sessionId = null;
  }
}

async function ussdRequest() {
  ussd.busy = true;
  screenText.textContent = "USSD code running…";
  const result = await post(body.dataset.ussdUrl, {
    sessionId: ussd.sessionId,
    phoneNumber: byTestId("ussd-number").value.trim(),
    text: ussd.inputs.join("*"),
  });
  ussd.busy = false;
  show(result.reply);
}

byTestId("ussd-dial").addEventListener("click", () => {
  ussd.sessionId = randomId();
  ussd.inputs = [];
  ussdRequest();
});

function ussdSend() {
  if (!ussd.sessionId || ussd.busy) return;
  ussd.inputs.push(input.value);
  ussdRequest();
}

sendButton.addEventListener("click", ussdSend);
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    ussdSend();
  }
});
cancelButton.addEventListener("click", () => {
  ussd.sessionId = null;
  show("END Cancelled.");
});
for (const key of document.querySelectorAll("[data-key]")) {
  key.addEventListener("click", () => {
    if (input.disabled) return;
    input.value += key.dataset.key;
    input.focus();
  });
}

// --- SMS ------------------------------------------------------------------------------------

const thread = byTestId("sms-thread");

function bubble(text, who) {
  const item = document.createElement("li");
  item.className = `sms ${who}`;
  item.dataset.testid = who === "in" ? "sms-reply" : "sms-sent";
  item.textContent = text;
  thread.append(item);
  thread.scrollTop = thread.scrollHeight;
}

byTestId("sms-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = byTestId("sms-text");
  const text = field.value.trim();
  if (!text) return;
  bubble(text, "out");
  field.value = "";
  const result = await post(body.dataset.smsUrl, { from: byTestId("sms-number").value.trim(), text });
  if (result.reply) bubble(result.reply, "in");
  else bubble(result.error || "No reply (too many messages from this number: wait a minute).", "note");
});
