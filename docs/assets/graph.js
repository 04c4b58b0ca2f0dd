// The DAG drawing: dagre lays the nodes out, SVG draws them, and PanZoom
// lets the user drag and zoom.

const MAT_COLORS = {
  view: "#3b82f6",
  table: "#16a34a",
  incremental: "#7c3aed",
  ephemeral: "#64748b",
  seed: "#d97706",
  source: "#db2777",
  snapshot: "#0891b2",
  test: "#94a3b8",
};
const FOLDER_PALETTE = [
  "#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626",
  "#0891b2", "#db2777", "#65a30d", "#4f46e5", "#ea580c",
];
const NODE_W = 212, NODE_H = 42, TEST_W = 176, TEST_H = 24;

function nodeColor(db, node, mode) {
  if (mode === "folder") return db.folderColor.get(node.folder) || "#64748b";
  return MAT_COLORS[node.materialized] || MAT_COLORS[node.kind] || "#64748b";
}

// lastSegment is the last part of a folder path.
function lastSegment(folder) {
  return (folder || "").split("/").pop();
}

// PanZoom moves and scales a group inside an SVG: drag to pan, wheel to
// zoom around the pointer. moved() says whether the last press dragged,
// so that click handlers can ignore drags.
class PanZoom {
  constructor(svg, group) {
    this.svg = svg;
    this.group = group;
    this.k = 1;
    this.x = 0;
    this.y = 0;
    this.dragged = false;
    // top and bottom are the heights that overlays cover.
    this.top = 0;
    this.bottom = 0;
    svg.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    svg.addEventListener("pointerdown", (e) => this.onDown(e));
  }

  apply() {
    this.group.setAttribute("transform", `translate(${this.x},${this.y}) scale(${this.k})`);
  }

  zoomAt(px, py, factor) {
    const k = Math.min(4, Math.max(0.03, this.k * factor));
    this.x = px - ((px - this.x) * k) / this.k;
    this.y = py - ((py - this.y) * k) / this.k;
    this.k = k;
    this.apply();
  }

  zoomBy(factor) {
    const r = this.svg.getBoundingClientRect();
    this.zoomAt(r.width / 2, r.height / 2, factor);
  }

  // visible is the part of the view that no overlay covers.
  visible() {
    const r = this.svg.getBoundingClientRect();
    const h = r.height - this.top - this.bottom;
    return h > 150 ? { w: r.width, h, top: this.top } : { w: r.width, h: r.height, top: 0 };
  }

  // fitScale is the zoom at which the box {x, y, width, height} fits the
  // view, never above 1.2x.
  fitScale(box) {
    const pad = 32;
    const v = this.visible();
    return Math.max(0.03, Math.min(1.2, (v.w - 2 * pad) / box.width, (v.h - 2 * pad) / box.height));
  }

  // fit scales the box into view.
  fit(box) {
    const v = this.visible();
    if (!box || box.width <= 0 || v.w <= 0) return;
    this.k = this.fitScale(box);
    this.x = (v.w - box.width * this.k) / 2 - box.x * this.k;
    this.y = v.top + (v.h - box.height * this.k) / 2 - box.y * this.k;
    this.apply();
  }

  // shows reports whether the drawing's point (gx, gy) is well inside the
  // visible part of the view.
  shows(gx, gy) {
    const v = this.visible();
    const sx = gx * this.k + this.x, sy = gy * this.k + this.y;
    return sx > 40 && sx < v.w - 40 && sy > v.top + 40 && sy < v.top + v.h - 40;
  }

  // center puts the point (gx, gy) of the drawing in the middle of the view.
  center(gx, gy) {
    const v = this.visible();
    this.x = v.w / 2 - gx * this.k;
    this.y = v.top + v.h / 2 - gy * this.k;
    this.apply();
  }

  onWheel(e) {
    e.preventDefault();
    const r = this.svg.getBoundingClientRect();
    const step = e.deltaMode === 1 ? 0.05 : 0.0015;
    this.zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * step));
  }

  onDown(e) {
    if (e.button !== 0) return;
    const start = { cx: e.clientX, cy: e.clientY, x: this.x, y: this.y };
    this.dragged = false;
    const move = (ev) => {
      const dx = ev.clientX - start.cx, dy = ev.clientY - start.cy;
      if (!this.dragged && Math.hypot(dx, dy) < 4) return;
      this.dragged = true;
      this.svg.classList.add("panning");
      this.x = start.x + dx;
      this.y = start.y + dy;
      this.apply();
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      this.svg.classList.remove("panning");
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }
}

// newSvg makes an SVG with an arrow marker and a pannable viewport group.
function newSvg(cls) {
  const viewport = s("g", { class: "viewport" });
  const svg = s(
    "svg",
    { class: cls, role: "img" },
    s("defs", null,
      s("marker", { id: cls + "-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        s("path", { d: "M0,1 L9,5 L0,9 z", class: "arrow" }))),
    viewport
  );
  return { svg, viewport, marker: `url(#${cls}-arrow)` };
}

// curve draws a smooth path through dagre's edge points.
function curve(points) {
  if (!points || points.length === 0) return "";
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mx = (points[i].x + points[i + 1].x) / 2, my = (points[i].y + points[i + 1].y) / 2;
    d += ` Q${points[i].x},${points[i].y} ${mx},${my}`;
  }
  const last = points[points.length - 1];
  return d + ` L${last.x},${last.y}`;
}

// layoutGraph runs dagre left to right; network-simplex ranking looks best
// but is slow on big graphs, so those use longest-path.
function layoutGraph(nodes, edges, opts = {}) {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({
    rankdir: "LR",
    nodesep: opts.nodesep || 14,
    ranksep: opts.ranksep || 70,
    marginx: 20,
    marginy: 20,
    ranker: nodes.length > 150 ? "longest-path" : "network-simplex",
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  return g;
}

// DagView draws a set of nodes and the edges between them. opts.onSelect is
// called with a node ID, or null for the background; opts.onOpen with a node
// ID on double click or Enter.
class DagView {
  constructor(container, db, opts) {
    this.db = db;
    this.opts = opts;
    this.colorMode = opts.colorMode || "materialized";
    const { svg, viewport, marker } = newSvg("dag");
    this.svg = svg;
    this.marker = marker;
    this.edgeLayer = s("g", { class: "edges" });
    this.nodeLayer = s("g", { class: "nodes" });
    viewport.append(this.edgeLayer, this.nodeLayer);
    this.pz = new PanZoom(svg, viewport);
    this.els = new Map();
    this.edges = [];
    this.box = null;
    container.append(svg);
    svg.addEventListener("click", (e) => {
      if (this.pz.dragged) return;
      const g = e.target.closest("g.node");
      opts.onSelect(g ? g.dataset.id : null);
    });
    svg.addEventListener("dblclick", (e) => {
      const g = e.target.closest("g.node");
      if (g) opts.onOpen(g.dataset.id);
    });
    svg.addEventListener("keydown", (e) => {
      const g = e.target.closest && e.target.closest("g.node");
      if (g && e.key === "Enter") opts.onOpen(g.dataset.id);
    });
  }

  // draw lays out and draws the nodes with these IDs.
  draw(ids) {
    const set = new Set(ids);
    const nodes = ids.map((id) => {
      const test = this.db.byId.get(id).kind === "test";
      return { id, width: test ? TEST_W : NODE_W, height: test ? TEST_H : NODE_H };
    });
    const edges = [];
    for (const id of ids) {
      for (const p of this.db.parents.get(id) || []) if (set.has(p)) edges.push({ from: p, to: id });
    }
    const g = layoutGraph(nodes, edges);
    clear(this.edgeLayer);
    clear(this.nodeLayer);
    this.els = new Map();
    this.edges = [];
    for (const e of edges) {
      const pts = g.edge(e.from, e.to).points;
      const el = s("path", { class: "edge", d: curve(pts), "marker-end": this.marker });
      this.edgeLayer.append(el);
      this.edges.push({ from: e.from, to: e.to, el });
    }
    for (const id of ids) {
      const pos = g.node(id);
      const el = this.nodeEl(this.db.byId.get(id), pos);
      this.nodeLayer.append(el);
      this.els.set(id, el);
    }
    const size = g.graph();
    this.box = { x: 0, y: 0, width: size.width || 1, height: size.height || 1 };
    this.layout = g;
    this.fit();
  }

  nodeEl(node, pos) {
    const x = pos.x - pos.width / 2, y = pos.y - pos.height / 2;
    const test = node.kind === "test";
    const g = s("g", {
      class: `node kind-${node.kind}`,
      "data-id": node.id,
      "data-mat": node.materialized,
      transform: `translate(${x},${y})`,
      tabindex: 0,
      role: "button",
      "aria-label": node.name,
    });
    const st = statusClass(node.result && node.result.status);
    g.append(
      s("title", { text: `${node.id}\n${node.materialized}${node.result ? " · " + node.result.status : ""}` }),
      s("rect", { class: "box", width: pos.width, height: pos.height, rx: test ? 12 : 7 }),
      s("rect", { class: "band", width: test ? 0 : 6, height: pos.height, rx: 3 }),
      s("circle", { class: "dot st-" + st, cx: pos.width - 12, cy: pos.height / 2, r: 4 })
    );
    if (test) {
      g.append(s("text", { class: "name test-name", x: 12, y: pos.height / 2 + 4, text: truncate(node.name, 24) }));
    } else {
      g.append(
        s("text", { class: "name", x: 16, y: 18, text: truncate(node.name, 22) }),
        s("text", { class: "sub", x: 16, y: 33, text: truncate(node.materialized + " · " + lastSegment(node.folder), 28) })
      );
    }
    this.paint(g, node);
    return g;
  }

  paint(g, node) {
    const color = nodeColor(this.db, node, this.colorMode);
    g.querySelector(".band").setAttribute("fill", color);
    g.querySelector(".box").setAttribute("stroke", color);
  }

  setColorMode(mode) {
    this.colorMode = mode;
    for (const [id, g] of this.els) this.paint(g, this.db.byId.get(id));
  }

  // focus highlights id with its ancestors and descendants among the drawn
  // nodes and dims the rest; null clears the highlight.
  focus(id) {
    const on = this.els.has(id);
    const keep = (x) => this.els.has(x);
    const up = on ? walk(this.db, id, "up", keep) : new Map();
    const down = on ? walk(this.db, id, "down", keep) : new Map();
    this.svg.classList.toggle("focusing", on);
    for (const [nid, g] of this.els) {
      g.classList.toggle("focus", nid === id);
      g.classList.toggle("up", up.has(nid));
      g.classList.toggle("down", down.has(nid));
    }
    for (const e of this.edges) {
      const isUp = up.has(e.from) && (e.to === id || up.has(e.to));
      const isDown = down.has(e.to) && (e.from === id || down.has(e.from));
      e.el.classList.toggle("up", isUp);
      e.el.classList.toggle("down", isDown);
    }
  }

  fit() {
    this.pz.fit(this.box);
  }

  // setInsets tells the view how much of its top and bottom overlays cover.
  setInsets(top, bottom) {
    this.pz.top = top;
    this.pz.bottom = bottom;
  }

  // readable reports whether the whole drawing fits at a readable zoom.
  readable() {
    return this.box !== null && this.pz.fitScale(this.box) >= 0.55;
  }

  // reveal brings a node into view: the whole drawing when it fits at a
  // readable zoom, else the node, zooming in if the text is too small.
  reveal(id) {
    const pos = this.layout && this.els.has(id) ? this.layout.node(id) : null;
    if (!pos) return;
    if (this.readable()) {
      this.fit();
    } else if (this.pz.k < 0.55) {
      this.pz.k = 0.85;
      this.pz.center(pos.x, pos.y);
    } else if (!this.pz.shows(pos.x, pos.y)) {
      this.pz.center(pos.x, pos.y);
    }
  }

  zoomBy(f) {
    this.pz.zoomBy(f);
  }
}
