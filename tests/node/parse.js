// Parses kg's GraphML and GEXF exports with graphology (the parsers of Gephi Lite and sigma.js)
// and prints what survived as JSON: counts, versions and the label/kind attributes.
// Usage: node parse.js FILE.graphml|FILE.gexf ...   (run by tests/test_interop.py)
'use strict';
const fs = require('fs');
const path = require('path');
const Graph = require('graphology');
const graphml = require('graphology-graphml');
const gexf = require('graphology-gexf');

function version(name) {
  return require(path.join(__dirname, 'node_modules', name, 'package.json')).version;
}

function summarize(file) {
  const text = fs.readFileSync(file, 'utf8');
  const isGexf = file.endsWith('.gexf');
  const graph = isGexf ? gexf.parse(Graph, text) : graphml.parse(Graph, text);
  const nodes = {};
  graph.forEachNode((key, attrs) => {
    nodes[key] = {label: attrs.label, kind: attrs.kind, iri: attrs.iri, start: attrs.start};
  });
  const edges = [];
  graph.forEachEdge((key, attrs, source, target) => {
    edges.push({source, target, label: attrs.label, predicate: attrs.predicate, start: attrs.start});
  });
  return {
    file, parser: isGexf ? 'graphology-gexf' : 'graphology-graphml',
    type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, nodes, edges,
  };
}

const out = {
  versions: {
    node: process.versions.node, graphology: version('graphology'),
    'graphology-graphml': version('graphology-graphml'), 'graphology-gexf': version('graphology-gexf'),
  },
  results: process.argv.slice(2).map(summarize),
};
process.stdout.write(JSON.stringify(out));
