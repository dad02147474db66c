/* kg web page: the store view — stored documents (paged, delete), the merged graph of a selection,
   and a SPARQL box with example queries, results as a table and as CSV. */
"use strict";

(function () {
  const { GraphView, el } = window.KgGraph;
  const { request, showError, authHeaders, saveBlob, state } = window.Kg;
  const $ = (id) => document.getElementById(id);
  const PAGE = 10;
  const page = { offset: 0, total: 0, selected: new Set() };
  let storeGraph = null;

  const EXAMPLES = [
    ["People and their accounts", `SELECT ?person ?handle WHERE {
  ?p a schema:Person ; schema:name ?person ;
     foaf:account/foaf:accountName ?handle .
} ORDER BY ?person`],
    ["Posts by date", `SELECT ?date ?handle ?text WHERE {
  ?post a schema:SocialMediaPosting ; schema:text ?text ; schema:datePublished ?date ;
        sioc:has_creator/foaf:accountName ?handle .
} ORDER BY ?date ?handle`],
    ["Who works where (with evidence)", `SELECT ?person ?org ?confidence ?evidence WHERE {
  ?p schema:worksFor ?o ; schema:name ?person . ?o schema:name ?org .
  ?s a rdf:Statement ; rdf:subject ?p ; rdf:predicate schema:worksFor ; rdf:object ?o ;
     kg:evidence ?evidence ; kg:confidence ?confidence .
} ORDER BY ?person`],
    ["Entities by kind", `SELECT ?kind (COUNT(DISTINCT ?e) AS ?entities) WHERE {
  ?e a ?kind . FILTER(?kind IN (schema:Person, schema:Organization, schema:Place, foaf:OnlineAccount))
} GROUP BY ?kind ORDER BY DESC(?entities)`],
  ];

  /* -- documents ---------------------------------------------------------------------------- */

  async function loadDocuments() {
    showError("store-error", "");
    try {
      const data = await (await request(`/documents?offset=${page.offset}&limit=${PAGE}`)).json();
      page.total = data.total;
      if (!data.documents.length && page.offset > 0) {
        page.offset = Math.max(0, page.offset - PAGE);
        return loadDocuments();
      }
      renderDocuments(data.documents);
    } catch (err) {
      showError("store-error", err.message);
    }
  }

  function renderDocuments(documents) {
    const rows = documents.map((doc) => el("tr", {},
      el("td", {}, el("input", {
        type: "checkbox", "aria-label": `Select document ${doc.id}`, checked: page.selected.has(doc.id),
        onchange: (event) => (event.target.checked ? page.selected.add(doc.id) : page.selected.delete(doc.id)),
      })),
      el("td", {}, el("code", { text: doc.id })), el("td", { text: doc.date || "" }),
      el("td", { class: "num", text: String(doc.triples) }),
      el("td", {}, el("button", { type: "button", class: "danger", text: "Delete",
        "aria-label": `Delete document ${doc.id}`, onclick: () => remove(doc.id) }))));
    if (!rows.length) {
      rows.push(el("tr", {}, el("td", { colspan: "5", class: "hint",
        text: "The store is empty: extract an article and press “Save to the store”." })));
    }
    $("documents").tBodies[0].replaceChildren(...rows);
    const last = Math.min(page.offset + PAGE, page.total);
    $("doc-total").textContent = `${page.total} document${page.total === 1 ? "" : "s"} stored.`;
    $("page-info").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "";
    $("prev-page").disabled = page.offset === 0;
    $("next-page").disabled = last >= page.total;
  }

  async function remove(id) {
    showError("store-error", "");
    if (state.config.tokenRequired && !$("token").value.trim()) {
      showError("store-error", "Deleting needs the API token: enter it at the top of the page.");
      $("token").focus();
      return;
    }
    if (!window.confirm(`Delete document “${id}” and its graph from the store? This cannot be undone.`)) return;
    try {
      await request(`/documents/${encodeURIComponent(id)}`, { method: "DELETE", headers: authHeaders() });
      page.selected.delete(id);
      $("doc-total").textContent = `Deleted ${id}.`;
      await loadDocuments();
    } catch (err) {
      showError("store-error", err.message);
    }
  }

  async function showMerged() {
    showError("store-error", "");
    if (!page.selected.size) {
      showError("store-error", "Select one or more documents first (the checkboxes in the first column).");
      return;
    }
    const query = [...page.selected].map((id) => `id=${encodeURIComponent(id)}`).join("&");
    try {
      const data = await (await request(`/graph/documents?${query}`)).json();
      $("store-graph").hidden = false;
      storeGraph = storeGraph || new GraphView($("store-graph"), "store");
      storeGraph.render(data.graph);
    } catch (err) {
      showError("store-error", err.message);
    }
  }

  $("prev-page").addEventListener("click", () => { page.offset = Math.max(0, page.offset - PAGE); loadDocuments(); });
  $("next-page").addEventListener("click", () => { page.offset += PAGE; loadDocuments(); });
  $("merge-button").addEventListener("click", showMerged);

  /* -- SPARQL ------------------------------------------------------------------------------- */

  function termText(term) {
    return term ? term.value : "";
  }

  async function runQuery(accept) {
    showError("sparql-error", "");
    const query = $("sparql").value;
    if (!query.trim()) throw new Error("The query is empty: write one or choose an example.");
    return request("/sparql", {
      method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: accept }, body: query,
    });
  }

  async function showResults() {
    $("sparql-status").textContent = "Running…";
    try {
      const data = await (await runQuery("application/sparql-results+json")).json();
      const table = $("sparql-results");
      if ("boolean" in data) {
        table.replaceChildren(el("tbody", {}, el("tr", {}, el("td", { text: `ASK: ${data.boolean}` }))));
        $("sparql-status").textContent = `Answer: ${data.boolean}.`;
        return;
      }
      const vars = data.head.vars;
      const rows = data.results.bindings;
      table.replaceChildren(
        el("thead", {}, el("tr", {}, vars.map((v) => el("th", { scope: "col", text: v })))),
        el("tbody", {}, rows.map((row) => el("tr", {}, vars.map((v) => el("td", { text: termText(row[v]) }))))));
      $("sparql-status").textContent = `${rows.length} row${rows.length === 1 ? "" : "s"}.`;
    } catch (err) {
      $("sparql-status").textContent = "";
      showError("sparql-error", err.message.includes("406")
        ? `${err.message} (only SELECT and ASK results are shown as a table)` : err.message);
    }
  }

  async function downloadCsv() {
    try {
      saveBlob(await (await runQuery("text/csv")).blob(), "query-results.csv");
    } catch (err) {
      showError("sparql-error", err.message);
    }
  }

  $("example").replaceChildren(...EXAMPLES.map(([label], i) => el("option", { value: String(i), text: label })));
  $("example").addEventListener("change", () => { $("sparql").value = EXAMPLES[Number($("example").value)][1]; });
  $("sparql").value = EXAMPLES[0][1];
  $("run-query").addEventListener("click", showResults);
  $("download-csv").addEventListener("click", downloadCsv);
  $("sparql").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) showResults();
  });

  document.addEventListener("kg:tab", (event) => { if (event.detail === "tab-store") loadDocuments(); });
  document.addEventListener("kg:stored", () => { page.offset = 0; });
  window.KgStore = { loadDocuments, get graph() { return storeGraph; } };
})();
