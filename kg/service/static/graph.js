/* kg web page: the interactive graph (vis-network, served from the installed pyvis package).
   A graph view is a keyboard-usable entity list, the network canvas and a details panel that lists
   the selected node's relations with their evidence sentences and confidence. */
"use strict";

const KINDS = {
  person: { color: "#1d4ed8", label: "person" },
  organization: { color: "#c2410c", label: "organization" },
  place: { color: "#15803d", label: "place" },
  account: { color: "#7e22ce", label: "account" },
  post: { color: "#475569", label: "post" },
  date: { color: "#a16207", label: "date" },
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function shorten(text, size) {
  return text.length > size ? text.slice(0, size - 1) + "…" : text;
}

function formatConfidence(value) {
  return value === null || value === undefined ? "" : Number(value).toFixed(2);
}

class GraphView {
  /** container: an empty element; name: a prefix for element ids. */
  constructor(container, name) {
    this.name = name;
    this.container = container;
    this.select = el("select", { id: `${name}-node`, onchange: () => this.choose(this.select.value, true) });
    this.canvas = el("div", { class: "graph", id: `${name}-canvas`, role: "img",
      "aria-label": "Graph of the entities and relations; use the entity list above to explore it with the keyboard" });
    this.details = el("div", { class: "node-details", id: `${name}-details`, "aria-live": "polite" });
    this.summary = el("p", { class: "hint", id: `${name}-summary` });
    const controls = el("div", { class: "graph-controls" },
      el("div", { class: "field" }, el("label", { for: this.select.id, text: "Entity" }), this.select),
      el("button", { type: "button", text: "Fit to view", onclick: () => this.network && this.network.fit() }));
    container.replaceChildren(this.summary, controls, this.canvas, this.details);
    this.network = null;
  }

  /** view: {nodes: [{id, kind, label, ...}], relations: [{subject, object, label, literal, ...}]} */
  render(view) {
    this.view = view;
    this.byId = new Map(view.nodes.map((node) => [node.id, node]));
    const edges = view.relations.filter((r) => !r.literal && this.byId.has(r.subject) && this.byId.has(r.object));
    this.summary.textContent = `${view.nodes.length} nodes, ${edges.length} edges. Drag to move, scroll to zoom, ` +
      "click a node (or choose it in the list) to see its relations.";
    const sorted = [...view.nodes].sort((a, b) => (a.kind + a.label).localeCompare(b.kind + b.label));
    this.select.replaceChildren(el("option", { value: "", text: "— choose an entity —" }),
      ...sorted.map((node) => el("option", { value: node.id, text: `${node.label} (${node.kind})` })));
    this.details.replaceChildren();
    const nodes = new vis.DataSet(view.nodes.map((node) => {
      const kind = KINDS[node.kind] || KINDS.post;
      return {
        id: node.id, label: shorten(node.label || node.id, 28), kind: node.kind,
        title: `${node.label}\n${node.kind}\n${node.id}`,
        shape: node.kind === "post" ? "box" : "dot", size: 14,
        color: { background: kind.color, border: kind.color, highlight: { background: "#facc15", border: "#111827" } },
        font: { color: node.kind === "post" ? "#ffffff" : "#111827", size: 16, face: "system-ui, sans-serif" },
      };
    }));
    const data = {
      nodes,
      edges: new vis.DataSet(edges.map((r, i) => ({
        id: i, from: r.subject, to: r.object, label: r.label, arrows: "to",
        title: `${r.label} (${formatConfidence(r.confidence)})\n${r.evidence || ""}`,
        font: { size: 13, align: "middle", color: "#334155", strokeWidth: 3, strokeColor: "#ffffff" },
        color: { color: "#94a3b8", highlight: "#111827" },
      }))),
    };
    if (this.network) this.network.destroy();
    this.canvas.dataset.ready = "false";
    this.network = new vis.Network(this.canvas, { nodes: [], edges: [] }, {
      autoResize: true,
      interaction: { hover: true, tooltipDelay: 150, dragNodes: true, dragView: true, zoomView: true },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 250, fit: true },
        forceAtlas2Based: { springLength: 90, gravitationalConstant: -45 } },
      edges: { smooth: { type: "dynamic" } },
    });
    this.network.on("stabilizationIterationsDone", () => {
      this.network.setOptions({ physics: false });
      this.network.fit();
      this.canvas.dataset.ready = "true";
    });
    this.network.on("click", (params) => {
      if (params.nodes.length) this.choose(params.nodes[0], false);
    });
    this.network.setData(data);
  }

  /** Number of nodes the network draws (the browser test compares it with the API's answer). */
  nodeCount() {
    return this.network ? Object.keys(this.network.getPositions()).length : 0;
  }

  /** Selects a node, shows its relations; focus moves the view to it (keyboard path). */
  choose(id, focus) {
    const node = this.byId && this.byId.get(id);
    if (!node) {
      this.details.replaceChildren();
      return;
    }
    this.select.value = id;
    if (this.network) {
      this.network.selectNodes([id]);
      if (focus) this.network.focus(id, { scale: 1.1, animation: { duration: 300 } });
    }
    this.details.replaceChildren(...this.describe(node));
  }

  describe(node) {
    const parts = [el("h3", { text: node.label }),
      el("p", {}, el("span", { class: `badge k-${node.kind}`, text: node.kind }), " ", el("code", { text: node.id }))];
    const extra = ["alternateName", "jobTitle", "accountName", "datePublished", "text"]
      .filter((key) => node[key] && node[key] !== node.label)
      .map((key) => el("li", {}, el("strong", { text: `${key}: ` }), String(node[key])));
    if (extra.length) parts.push(el("ul", { class: "attrs" }, extra));
    const related = this.view.relations.filter((r) => r.subject === node.id || r.object === node.id);
    if (!related.length) {
      parts.push(el("p", { class: "hint", text: "No relations." }));
      return parts;
    }
    parts.push(el("h4", { text: `${related.length} relation${related.length === 1 ? "" : "s"}` }));
    parts.push(el("ul", { class: "relations" }, related.map((r) => el("li", { class: "relation" },
      el("div", {}, el("strong", { text: r.subjectLabel }), ` — ${r.label} → `, el("strong", { text: r.objectLabel }),
        el("span", { class: "confidence", text: ` confidence ${formatConfidence(r.confidence)}` })),
      el("blockquote", { text: r.evidence || "" }),
      el("div", { class: "hint", text: `${r.extractor || ""}${r.document ? ` · document ${r.document}` : ""}` })))));
    return parts;
  }
}

window.KgGraph = { GraphView, KINDS, el, formatConfidence, shorten };
