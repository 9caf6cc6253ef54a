// hotline console: UTC clock and date-time group, live updates (server-sent events),
// acknowledgement countdowns, overdue escalation (banner + sound, with an off switch),
// dark mode and keyboard shortcuts. No request leaves this node.
(function () {
  "use strict";
  const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
  const pad = (n) => String(n).padStart(2, "0");
  // Server time minus browser time, so countdowns follow the node's clock, not the laptop's.
  const offsetMs = Number(document.body.dataset.nowMs || Date.now()) - Date.now();
  const now = () => Date.now() + offsetMs;

  function dtg(d) {
    return `${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z${MONTHS[d.getUTCMonth()]}${pad(d.getUTCFullYear() % 100)}`;
  }
  function clock() {
    const d = new Date(now());
    const time = document.getElementById("utc-time");
    if (time) time.textContent = d.toISOString().slice(0, 19).replace("T", " ") + "Z";
    const group = document.getElementById("utc-dtg");
    if (group) group.textContent = dtg(d);
  }

  function span(ms) {
    const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? `${h}:${pad(m)}` : `${m}`) + `:${pad(s % 60)}`;
  }

  // -- sound: a short two-tone alarm from WebAudio (no file, nothing fetched) --
  let soundOn = localStorage.getItem("hotline-sound") !== "off";
  let audio = null;
  function beep() {
    if (!soundOn) return;
    try {
      audio = audio || new AudioContext();
      [880, 660].forEach((freq, i) => {
        const osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = freq; gain.gain.value = 0.2;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + i * 0.25); osc.stop(audio.currentTime + i * 0.25 + 0.2);
      });
    } catch (e) { /* no audio device: the banner still shows */ }
  }
  function showSound() {
    const button = document.getElementById("sound-toggle");
    if (!button) return;
    const label = button.querySelector("span");
    label.textContent = soundOn ? label.dataset.on : label.dataset.off;
    button.setAttribute("aria-pressed", String(soundOn));
  }

  // -- countdowns and overdue escalation --
  let lastBeep = 0;
  const liveLate = [];
  function countdowns() {
    const late = [];
    document.querySelectorAll(".countdown").forEach((el) => {
      const left = Number(el.dataset.dueMs) - now();
      el.classList.toggle("late", left < 0);
      el.textContent = left < 0 ? `${el.dataset.overdue} +${span(left)}` : `${el.dataset.label} ${span(left)}`;
      const card = el.closest(".message");
      if (card) card.classList.toggle("overdue", left < 0);
      if (left < 0 && card) late.push(`${card.dataset.prec} ${card.dataset.id}`);
    });
    const banner = document.getElementById("overdue-banner");
    if (!banner) return;
    if (!document.getElementById("messages")) {
      // No message list here: what the node said when the page loaded, plus live reports.
      const known = banner.dataset.late ? banner.dataset.late.split("|") : [];
      late.push(...new Set([...known, ...liveLate]));
    }
    banner.hidden = late.length === 0;
    document.getElementById("overdue-list").textContent = late.join(", ");
    if (late.length && now() - lastBeep > 10000) { lastBeep = now(); beep(); }
  }

  // -- TEST and EXERCISE: a strip on the screen as soon as such traffic is on it --
  function markingStrips() {
    ["TEST", "EXERCISE"].forEach((mark) => {
      if (!document.querySelector(`.message.mark-${mark}`) || document.querySelector(`.marking-${mark}`)) return;
      const strip = document.createElement("div");
      strip.className = `marking-strip marking-${mark}`;
      strip.setAttribute("role", "note");
      strip.textContent = `${mark} — ${mark} ${document.body.dataset.markingText} — ${mark}`;
      document.body.prepend(strip);
    });
  }

  // -- live updates: every node event refreshes what is on screen --
  function live() {
    if (!window.EventSource || !document.getElementById("overdue-banner") || !document.querySelector(".top nav")) return;
    const source = new EventSource("/api/v1/events");
    source.addEventListener("AckOverdue", (event) => {
      const d = JSON.parse(event.data).data;
      liveLate.push(`${d.prec} ${d.ref[0]}-${String(d.ref[1]).padStart(4, "0")}`);
      countdowns();
    });
    let pending = null;
    const refresh = () => {
      clearTimeout(pending);
      pending = setTimeout(() => document.body.dispatchEvent(new Event("hotline-refresh")), 150);
    };
    ["NotificationReceived", "AckReceived", "ReplyReceived", "ReceiptReceived", "AckOverdue",
     "ChannelOpened", "EquivocationDetected", "FlashHeld", "FlashReleased", "FlashWithdrawn"].forEach((kind) => source.addEventListener(kind, refresh));
  }

  // -- keyboard: j/k move between messages, a acknowledges, g m / g p go to messages / map --
  let lastKey = "";
  function keys(event) {
    if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    const cards = Array.from(document.querySelectorAll(".message"));
    const at = cards.indexOf(document.activeElement.closest(".message"));
    if (lastKey === "g" && event.key === "m") location.href = "/console/";
    else if (lastKey === "g" && event.key === "p") location.href = "/console/map";
    else if ((event.key === "j" || event.key === "n") && cards.length) cards[Math.min(at + 1, cards.length - 1)].focus();
    else if (event.key === "k" && cards.length) cards[Math.max(at - 1, 0)].focus();
    else if (event.key === "a") {
      const card = at >= 0 ? cards[at] : cards.find((c) => c.querySelector("button.ack"));
      const button = card && card.querySelector("button.ack");
      if (button) button.click();
    }
    lastKey = event.key;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("theme-toggle")?.addEventListener("click", () => {
      const dark = document.documentElement.classList.toggle("dark");
      localStorage.setItem("hotline-theme", dark ? "dark" : "light");
    });
    document.getElementById("sound-toggle")?.addEventListener("click", () => {
      soundOn = !soundOn;
      localStorage.setItem("hotline-sound", soundOn ? "on" : "off");
      showSound();
    });
    showSound();
    document.addEventListener("keydown", keys);
    document.body.addEventListener("htmx:afterSwap", () => { countdowns(); markingStrips(); });
    clock(); countdowns(); live();
    setInterval(() => { clock(); countdowns(); }, 1000);
  });
})();
