// Queues in: the newest queue of each session (by seq), and the one shown asked for when this
// panel does not hold it (the live session's comes with every staff view).
import { errorText } from "../console/actions.js";
import { showNotice } from "./notices.js";
import { mod, shownItemId } from "./state.js";

export function applyQueue(queue) {
  if (!queue || typeof queue.item_id !== "number") return false;
  const have = mod.queues.get(queue.item_id);
  if (have && queue.seq < have.seq) return false; // late: we already show a newer one
  mod.queues.set(queue.item_id, queue);
  mod.loading.delete(queue.item_id);
  return true;
}


// Ask for the shown session's queue if we do not hold it (the live one comes with every view).
export async function ensureQueue() {
  const id = shownItemId();
  if (id === null || id === undefined || mod.queues.has(id) || mod.loading.has(id) || !mod.client) return;
  mod.loading.add(id);
  const reply = await mod.client.request("mod:queue", { item_id: id });
  mod.loading.delete(id);
  if (reply && reply.ok) applyQueue(reply.queue);
  else showNotice(errorText(reply));
  mod.render();
}
