"use strict";
// The night page keeps itself current: Server-Sent Events say "change N happened", the page
// asks /live for what changed since the last change it applied, and swaps in the tally and
// only those race cards. EventSource resumes with Last-Event-ID by itself; if it cannot
// connect at all, the page polls /live instead (and tries the stream again now and then). While
// the stream is reconnecting or an update fails, a banner says the numbers may be behind.
// Without this script the page still reads fine (a refresh shows the current state).
(function () {
  const root = document.querySelector("[data-night]");
  const status = document.getElementById("live-status");
  const banner = document.getElementById("live-banner");
  const pollMs = () => Number((root && root.dataset.poll) || 10000);
  const relistenMs = () => Number((root && root.dataset.relisten) || 30000);
  const OPEN_TIMEOUT_MS = 5000;

  // Small progressive enhancements that need no server: autosubmit, copy, hide no-JS buttons.
  for (const el of document.querySelectorAll("[data-js-hide]")) el.hidden = true;
  for (const el of document.querySelectorAll("[data-autosubmit]")) {
    el.addEventListener("change", () => el.form && el.form.submit());
  }
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const text = source.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch (err) {
      // no clipboard permission (plain http on a LAN): select the text for Ctrl+C instead
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => { button.textContent = "Copy sentence"; }, 2500);
  });
  const showCopy = () => {
    for (const el of document.querySelectorAll("[data-copy]")) el.hidden = false;
  };
  showCopy();
  if (!root) return;

  let applied = Number(root.dataset.seq || 0);
  let busy = false, again = false, wantFull = false, pollTimer = null, source = null;
  let relistenTimer = null;

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    // the numbers on screen may be behind: say so where everyone sees it, not only in the corner
    if (banner) banner.hidden = !(state === "reconnecting" || state === "error");
  }

  function pollingText() {
    return "Live stream unavailable: checking every " + pollMs() / 1000 + " s";
  }

  function liveUrl(since) {
    const params = new URLSearchParams(location.search);
    params.delete("since");
    if (!params.get("stage")) params.set("stage", root.dataset.stage);
    if (since !== null) params.set("since", String(since));
    return root.dataset.live + "?" + params.toString();
  }

  function swap(id, fresh) {
    const old = document.getElementById(id);
    const next = fresh.querySelector("#" + id);
    if (old && next) old.replaceWith(next);
  }

  async function patch(full) {
    if (busy) { again = true; wantFull = wantFull || full; return; }  // one in flight, one queued
    busy = true;
    try {
      const response = await fetch(liveUrl(full ? null : applied), { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error("live update answered " + response.status);
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const box = doc.getElementById("patch");
      const seq = Number(box.dataset.seq);
      if (seq < applied) return;  // an older answer overtaken by a newer one
      swap("headline", doc);
      swap("charts", doc);
      const list = document.getElementById("race-list");
      const fresh = new Map();
      for (const card of doc.querySelectorAll("#patch-cards > article")) fresh.set(card.id, card);
      const order = box.dataset.order ? box.dataset.order.split(",") : [];
      const cards = [];
      for (const id of order) {
        const card = fresh.get("race-" + id) || document.getElementById("race-" + id);
        if (!card) { again = true; wantFull = true; break; }  // a card we never had: fetch all
        cards.push(card);
      }
      if (list && cards.length === order.length) {
        list.replaceChildren(...cards);
        for (const card of fresh.values()) {
          card.classList.add("changed");
          setTimeout(() => card.classList.remove("changed"), 4000);
        }
      }
      applied = Math.max(applied, seq);
      showCopy();
      if (status.dataset.state === "error") {  // an update got through again
        if (pollTimer) setStatus("polling", pollingText());
        else if (source && source.readyState === EventSource.OPEN) setStatus("live", "Live");
      }
    } catch (err) {
      setStatus("error", "Update failed; retrying");
    } finally {
      busy = false;
      if (again) {
        const nextFull = wantFull;
        again = false;
        wantFull = false;
        patch(nextFull);
      }
    }
  }

  function startPolling() {
    if (!relistenTimer) {  // the stream may come back (the server had no slot, or no database)
      relistenTimer = setTimeout(() => { relistenTimer = null; listen(); }, relistenMs());
    }
    if (pollTimer) return;
    setStatus("polling", pollingText());
    pollTimer = setInterval(() => patch(false), pollMs());
  }

  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  function listen() {
    if (!("EventSource" in window)) { startPolling(); return; }
    if (source) source.close();
    if (!pollTimer) setStatus("connecting", "Connecting…");
    source = new EventSource(root.dataset.events + "?since=" + applied);
    let opened = false;
    const giveUp = setTimeout(() => { if (!opened) startPolling(); }, OPEN_TIMEOUT_MS);
    source.addEventListener("hello", () => {
      opened = true;
      clearTimeout(giveUp);
      clearTimeout(relistenTimer);
      relistenTimer = null;
      stopPolling();
      setStatus("live", "Live");
    });
    source.addEventListener("change", (event) => {
      const change = JSON.parse(event.data);
      if (change.stages.includes(root.dataset.stage)) patch(false);
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) { startPolling(); return; }
      setStatus("reconnecting", "Reconnecting…");  // the browser retries with Last-Event-ID
    };
  }

  // after an htmx filter swap the board is new: remember how current it is
  document.body.addEventListener("htmx:afterSwap", () => {
    const board = document.getElementById("board");
    if (board) applied = Math.max(applied, Number(board.dataset.seq || 0));
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && pollTimer) patch(false);
  });
  listen();
})();
