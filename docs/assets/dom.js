// DOM helpers. Every piece of project text reaches the page through
// textContent or a text node: nothing here parses HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

// setAttrs applies attrs to el: "class", "text" (textContent), "on<event>"
// handlers, and plain attributes (skipped when null, undefined or false).
function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = String(value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

// append adds children (nodes, strings as text, nested arrays) to el.
function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// h creates an HTML element.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  return append(el, children);
}

// s creates an SVG element.
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  return append(el, children);
}

// clear removes every child of el.
function clear(el) {
  el.replaceChildren();
  return el;
}

// truncate shortens text to at most max characters, with an ellipsis.
function truncate(text, max) {
  return text.length <= max ? text : text.slice(0, Math.max(1, max - 1)) + "…";
}

function fmtDuration(sec) {
  if (typeof sec !== "number" || !isFinite(sec)) return "";
  if (sec < 1) return Math.round(sec * 1000) + " ms";
  if (sec < 60) return sec.toFixed(2) + " s";
  const m = Math.floor(sec / 60);
  return m + " min " + Math.round(sec - m * 60) + " s";
}

function fmtInt(n) {
  return typeof n === "number" ? n.toLocaleString("en-US") : "";
}

function fmtTime(iso) {
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

const STATUS_CLASS = { success: "ok", pass: "ok", warn: "warn", error: "err", fail: "err", skipped: "skip" };

// statusClass maps a run status to ok, warn, err, skip, or none (not run).
function statusClass(status) {
  return STATUS_CLASS[status] || "none";
}

// statusBadge shows a node's last run status.
function statusBadge(result) {
  const status = result ? result.status : "not run";
  return h("span", { class: "badge st-" + statusClass(result && result.status), text: status });
}

function nodeHref(node) {
  return "#/" + encodeURIComponent(node.kind) + "/" + encodeURIComponent(node.id);
}

function columnHref(node, column) {
  return nodeHref(node) + "/column/" + encodeURIComponent(column);
}

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// afterPaint runs fn once the browser has painted what is on screen now, so
// that a "working…" note shows before slow work starts.
function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
