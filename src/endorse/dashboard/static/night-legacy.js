"use strict";
const $ = (id) => document.getElementById(id);
const fmt = (n) => (n === null || n === undefined || n === "") ? "" : Number(n).toLocaleString();
const text = (v) => (v === null || v === undefined) ? "" : String(v);

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(url + " answered " + r.status);
  return r.json();
}

async function loadElections() {
  const elections = await getJSON("/api/v1/elections");
  $("election").innerHTML = "";
  for (const e of elections) $("election").add(new Option(e.name, e.slug));
  const wanted = new URLSearchParams(location.search).get("election");
  if (wanted) $("election").value = wanted;
  fillStages(elections);
  $("election").onchange = () => { fillStages(elections); refresh(); };
  $("stage").onchange = refresh;
}

function fillStages(elections) {
  const e = elections.find((x) => x.slug === $("election").value);
  $("stage").innerHTML = "";
  for (const s of (e ? e.stages : [])) $("stage").add(new Option(s.kind, s.kind));
  if ([...$("stage").options].some((o) => o.value === "general")) $("stage").value = "general";
}

function render(stats, rows) {
  $("sentence").textContent = stats.sentence || "";
  $("asof").textContent = stats.as_of ? "as of " + new Date(stats.as_of).toLocaleString() : "no results yet";
  const head = stats.headline || {};
  $("n-won").textContent = head.won ?? "–";
  $("n-lost").textContent = head.lost ?? "–";
  $("n-pending").textContent = head.pending ?? "–";
  $("n-unmatched").textContent = (stats.excluded || {}).unmatched ?? "–";
  const body = $("races");
  body.innerHTML = "";
  for (const r of rows) {
    const tr = body.insertRow();
    const cells = [
      [[r.office, r.district].filter(Boolean).join(" ")], [text(r.candidate)], [fmt(r.votes), "num"], [text(r.percent), "num"],
      [fmt(r.margin), "num"],
      [r.precincts_total ? `${r.precincts_reporting} of ${r.precincts_total}` : text(r.call_status), "num"],
      [text(r.outcome), text(r.outcome)], [text(r.reason)],
    ];
    for (const [value, cls] of cells) {
      const td = tr.insertCell();
      td.textContent = value;
      if (cls) td.className = cls;
    }
  }
}

let busy = false, again = false;
async function refresh() {
  if (busy) { again = true; return; }  // coalesce: one refresh in flight, at most one queued
  busy = true;
  try {
    const slug = encodeURIComponent($("election").value);
    if (!slug) { $("sentence").textContent = "No elections yet."; return; }
    const stage = encodeURIComponent($("stage").value);
    const [stats, rows] = await Promise.all([
      getJSON(`/api/v1/elections/${slug}/stats?stage=${stage}`),
      getJSON(`/api/v1/elections/${slug}/races?stage=${stage}`),
    ]);
    render(stats, Array.isArray(rows) ? rows : (rows.races || []));
    $("error").textContent = "";
  } catch (err) {
    $("error").textContent = String(err);
  } finally {
    busy = false;
    if (again) { again = false; refresh(); }
  }
}

function listen() {
  const source = new EventSource("/api/v1/events");
  source.addEventListener("hello", () => { $("live").className = "on"; $("live").textContent = "live"; });
  source.addEventListener("results", (e) => {
    const event = JSON.parse(e.data);
    if (!event.election || event.election === $("election").value) refresh();
  });
  source.onerror = () => { $("live").className = ""; $("live").textContent = "reconnecting…"; };
}

loadElections().then(refresh).catch((err) => { $("error").textContent = String(err); }).finally(listen);
setInterval(refresh, 60000);  // a safety net if an event is ever missed
