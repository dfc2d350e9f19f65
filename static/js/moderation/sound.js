// The help alert's sound: a short two-tone chime made with an oscillator (no audio file).
// Browsers keep audio suspended until the page has had a user gesture, so the context is made or
// resumed on the first one.
import { mod } from "./state.js";

let audio = null;

function audioContext() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return null;
  if (!audio) audio = new Context();
  return audio;
}

function unlockAudio() {
  const context = audioContext();
  if (context && context.state === "suspended") context.resume().catch(() => {});
}
document.addEventListener("pointerdown", unlockAudio, { capture: true, passive: true });
document.addEventListener("keydown", unlockAudio, { capture: true });

export function beep() {
  mod.beeps += 1;
  const context = audioContext();
  if (!context) return;
  if (context.state === "suspended") context.resume().catch(() => {});
  const start = context.currentTime + 0.02;
  [[880, 0], [660, 0.2], [880, 0.4]].forEach(([frequency, offset]) => {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
    osc.connect(gain).connect(context.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.2);
  });
}
