// The vote path: one vote in flight per poll, acknowledged only once the server has stored it.
// live.js keeps a vote across reconnects until acknowledged, and the server applies a client_id
// once, so a resend (after a reconnect or a reload) never counts twice.
import { newClientId } from "../live.js";
import { mergeTally, phone, readSession, setHeld, writeSession } from "./state.js";

const { state } = phone;

// Pending votes in sessionStorage, so a reload during an outage resends them.
function saveStoredVotes() {
  const out = {};
  for (const [pollId, vote] of state.pending) {
    const { poll_id, client_id, answer, generation } = vote;
    out[pollId] = { poll_id, client_id, answer, generation };
  }
  writeSession(phone.keys.votes, Object.keys(out).length ? out : null);
}

export function sendVote(poll, answer) {
  if (state.pending.has(poll.id)) return; // one vote in flight per poll; its ack unlocks the next
  const vote = { poll_id: poll.id, client_id: newClientId(), answer, generation: poll.generation };
  state.pending.set(poll.id, vote);
  state.notes.delete(poll.id);
  saveStoredVotes();
  phone.renderPolls();
  dispatchVote(vote);
}

// Send (or resend, after a reload) a vote.
function dispatchVote(vote) {
  const payload = { poll_id: vote.poll_id, client_id: vote.client_id, answer: vote.answer };
  phone.client.request("vote", payload, { retry: true }).then((reply) => onVoteAck(vote, reply));
}

// Votes that were still on their way when the page was last closed or reloaded.
export function resumeVotes() {
  const stored = readSession(phone.keys.votes, {});
  const votes = Object.values(stored || {}).filter(
    (v) => v && Number.isInteger(v.poll_id) && typeof v.client_id === "string" && v.answer,
  );
  for (const vote of votes) {
    state.pending.set(vote.poll_id, vote);
    dispatchVote(vote);
  }
}

function onVoteAck(vote, reply) {
  const id = vote.poll_id;
  if (state.pending.get(id) === vote) state.pending.delete(id);
  saveStoredVotes();
  if (reply && reply.ok) {
    state.drafts.delete(id);
    if (reply.tally) mergeTally(reply.tally); // "after_vote" polls: results come with the receipt
    // Free text: the participant's own words a moderator holds (never anyone else's).
    if (Array.isArray(reply.held)) setHeld(id, reply.held, reply.generation ?? vote.generation);
    if (reply.answer) {
      state.acks += 1;
      state.answers.set(id, {
        answer: reply.answer,
        generation: reply.generation ?? vote.generation,
        ack: state.acks,
      });
    } else {
      // A retried vote from before a reset: the server kept its receipt but the answer is gone.
      state.answers.delete(id);
      state.notes.set(id, { kind: "info", text: "This poll was restarted, so please answer again." });
    }
  } else {
    const error = (reply && reply.error) || {};
    state.notes.set(id, {
      kind: "error",
      text: error.message || "Your vote could not be saved. Please try again.",
      at: Date.now(),
    });
    // The server knows better what we answered (another tab, a reset): ask for the truth.
    if (error.code === "already_answered" || error.code === "client_id_reused") phone.client.snapshot();
  }
  const card = phone.cards.get(id);
  if (card) card.justConfirmed = Boolean(reply && reply.ok && reply.answer);
  else if (!(reply && reply.ok)) {
    // The poll left the screen while the vote was on its way (closed during an outage, say):
    // say so, rather than let the vote vanish without a word.
    const text = state.notes.get(id).text;
    state.notes.delete(id);
    phone.notify(`Your vote could not be saved. ${text}`);
  }
  phone.renderPolls();
}
