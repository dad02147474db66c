/* kg web page: tabs, the article view (highlighted entities, graph, relations, downloads) and
   the helpers the store view shares (window.Kg). Plain browser JavaScript, no build step. */
"use strict";

(function () {
  const { GraphView, el, formatConfidence } = window.KgGraph;
  const $ = (id) => document.getElementById(id);
  const state = { config: { tokenRequired: false, maxBody: 5000000, formats: [] }, body: null, result: null };

  function megabytes(bytes) {
    return `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;
  }

  function showError(id, message) {
    $(id).textContent = message || "";
  }

  function authHeaders() {
    const token = $("token").value.trim();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  /** fetch that turns every failure into an Error whose message can be shown as is. */
  async function request(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error(`The server could not be reached (${err.message}). Is kg serve still running?`);
    }
    if (response.ok) return response;
    let detail = "";
    try {
      const body = await response.clone().json();
      detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    } catch (_) {
      detail = (await response.text()).slice(0, 300);
    }
    const prefix = {
      401: "Not authorized: enter the API token at the top of the page.",
      413: "Too large for the server.",
      500: "Server error.",
      503: "The server is busy or the query timed out.",
    }[response.status] || `The server answered ${response.status}.`;
    throw new Error(`${prefix} ${detail}`.trim());
  }

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /* -- tabs (WAI-ARIA tabs pattern: arrow keys, Home, End) ---------------------------------- */

  const tabs = [$("tab-extract"), $("tab-store")];

  function activate(tab, focus) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
    document.dispatchEvent(new CustomEvent("kg:tab", { detail: tab.id }));
  }

  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => activate(tab, false));
    tab.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      activate(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
    });
  });

  /* -- the article view ------------------------------------------------------------------- */

  const graph = new GraphView($("extract-graph"), "extract");

  function requestBody() {
    const text = $("text").value;
    if (!text.trim()) throw new Error("There is no text: paste an article or open a .txt file first.");
    const body = { text };
    const id = $("doc-id").value.trim();
    const date = $("doc-date").value;
    if (id) body.id = id;
    if (date) body.date = date;
    const json = JSON.stringify(body);
    const size = new Blob([json]).size;
    if (size > state.config.maxBody) {
      throw new Error(`The text is too large: ${megabytes(size)}; this server accepts up to ` +
        `${megabytes(state.config.maxBody)} per request. Split the article or start kg serve with a larger --max-body.`);
    }
    return body;
  }

  function renderArticle(result) {
    const article = $("article");
    // Offsets count Unicode code points (Python's str); JavaScript strings count UTF-16 units.
    const chars = Array.from(result.text);
    const text = { slice: (start, end) => chars.slice(start, end).join("") };
    const parts = [];
    let at = 0;
    for (const m of result.mentions) {
      if (m.start > at) parts.push(text.slice(at, m.start));
      const tip = m.kind === "date" ? `date: ${m.name} (xsd:${m.datatype})` : `${m.name} — ${m.kind} — ${m.iri}`;
      parts.push(el("mark", {
        class: `mention k-${m.kind}`, tabindex: "0", title: tip, "data-kind": m.kind, "data-iri": m.iri || "",
        "aria-label": `${m.text}: ${tip}`, text: text.slice(m.start, m.end),
      }));
      at = m.end;
    }
    parts.push(text.slice(at, chars.length));
    article.replaceChildren(...parts);
    const counts = Object.entries(result.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ");
    $("mention-count").textContent = `${result.mentions.length} highlighted mentions: ${counts || "none"}.`;
  }

  function onMention(event) {
    const mark = event.target.closest("mark.mention");
    if (!mark) return;
    $("mention-info").textContent = mark.title;
    if (event.type === "click" || (event.type === "keydown" && event.key === "Enter")) {
      if (mark.dataset.iri) graph.choose(mark.dataset.iri, true);
    }
  }
  for (const type of ["mouseover", "focusin", "click", "keydown"]) $("article").addEventListener(type, onMention);

  function renderRelations(view) {
    const rows = view.relations.map((r) => el("tr", {},
      el("td", { text: r.subjectLabel }), el("td", { text: r.label }),
      el("td", { text: r.objectLabel }), el("td", { class: "num", text: formatConfidence(r.confidence) }),
      el("td", { class: "evidence", text: r.evidence || "" }), el("td", { text: r.extractor || "" })));
    $("relations").tBodies[0].replaceChildren(...rows);
  }

  function renderDownloads() {
    const buttons = state.config.formats.map((f) => el("button", {
      type: "button", "data-format": f.name, text: `${f.name} (${f.suffix})`,
      "aria-label": `Download as ${f.name} (${f.suffix})`, onclick: () => download(f),
    }));
    $("downloads").replaceChildren(...buttons);
  }

  async function download(format) {
    showError("download-error", "");
    try {
      const response = await request(`/extract?format=${encodeURIComponent(format.name)}`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(state.body),
      });
      saveBlob(await response.blob(), `${state.result.id.replace(/[^\w.-]+/g, "_")}${format.suffix}`);
    } catch (err) {
      showError("download-error", err.message);
    }
  }

  async function extract(event) {
    event.preventDefault();
    showError("extract-error", "");
    let body;
    try {
      body = requestBody();
    } catch (err) {
      showError("extract-error", err.message);
      $("text").focus();
      return;
    }
    $("extract-button").disabled = true;
    $("extract-status").textContent = "Extracting…";
    try {
      const response = await request("/annotate", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      const result = await response.json();
      state.body = { ...body, id: result.id };
      state.result = result;
      $("result").hidden = false;
      renderArticle(result);
      renderRelations(result.graph);
      renderDownloads();
      graph.render(result.graph);
      $("save-status").textContent = "";
      $("h-article").focus({ preventScroll: true });
      $("h-article").scrollIntoView({ block: "start" });
      $("extract-status").textContent =
        `Found ${result.mentions.length} mentions, ${result.graph.nodes.length} nodes and ` +
        `${result.graph.relations.length} relations in document ${result.id}.`;
    } catch (err) {
      showError("extract-error", err.message);
      $("extract-status").textContent = "";
    } finally {
      $("extract-button").disabled = false;
    }
  }

  async function save() {
    showError("download-error", "");
    if (state.config.tokenRequired && !$("token").value.trim()) {
      showError("download-error", "Saving needs the API token: enter it at the top of the page.");
      $("token").focus();
      return;
    }
    try {
      const response = await request("/documents", {
        method: "POST", headers: { "Content-Type": "application/json", ...authHeaders() },
        body: JSON.stringify(state.body),
      });
      const info = await response.json();
      $("save-status").textContent = `${info.replaced ? "Replaced" : "Saved"} document ${info.id} ` +
        `(${info.triples} triples). See it in the Store tab.`;
      document.dispatchEvent(new CustomEvent("kg:stored"));
    } catch (err) {
      showError("download-error", err.message);
    }
  }

  $("file").addEventListener("change", async () => {
    showError("extract-error", "");
    const file = $("file").files[0];
    if (!file) return;
    if (file.size > state.config.maxBody) {
      showError("extract-error", `${file.name} is too large: ${megabytes(file.size)}; this server accepts up to ` +
        `${megabytes(state.config.maxBody)}.`);
      return;
    }
    $("text").value = await file.text();
    if (!$("doc-id").value) $("doc-id").value = file.name.replace(/\.[^.]*$/, "");
    $("extract-status").textContent = `Opened ${file.name}; press Extract.`;
  });
  $("extract-form").addEventListener("submit", extract);
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("extract-form").requestSubmit();
  });
  $("save-button").addEventListener("click", save);

  async function loadConfig() {
    try {
      state.config = await (await request("/ui/config")).json();
    } catch (err) {
      showError("extract-error", `Could not read the server's settings: ${err.message}`);
    }
    $("token-row").hidden = !state.config.tokenRequired;
    document.body.dataset.ready = "true";
  }

  window.Kg = { state, request, showError, authHeaders, saveBlob, graph, activate };
  loadConfig();
})();
