/* senatenet interactive map. Survey text only ever reaches the page through
   textContent, option values and vis-network's plain-text tooltips; never
   through HTML parsing. */
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("sn-data").textContent);
  var meta = data.meta;
  var DIFF = {
    "new": {color: "#202124", dashes: false},
    "lost": {color: "#D62728", dashes: [7, 5]},
    "stable": {color: "#B0B5BC", dashes: false}
  };
  var byId = function (id) { return document.getElementById(id); };

  var orgIndex = new Map();
  meta.organisations.forEach(function (o, i) { orgIndex.set(o.name, i); });
  var relIndex = new Map();
  meta.relations.forEach(function (r, i) { relIndex.set(r, i); });
  var viewKeys = meta.views.map(function (v) { return v.key; });

  var state = {
    view: meta.view,
    hiddenOrgs: new Set(),      // organisation indices switched off
    hiddenRelations: new Set(), // relation indices switched off
    pseudonyms: false
  };

  var orgOfNode = new Map();
  data.nodes.forEach(function (n) {
    orgOfNode.set(n.id, orgIndex.has(n.organisation) ? orgIndex.get(n.organisation) : -1);
  });
  var base = new Map(); // each tie's own style, restored outside the difference view
  data.edges.forEach(function (e) {
    base.set(e.id, {color: e.color, width: e.width, dashes: e.dashes || false});
  });

  function nodeHidden(n) { return state.hiddenOrgs.has(orgOfNode.get(n.id)); }

  function edgeLook(e) {
    var hidden = false;
    if (e.views && e.views.indexOf(state.view) < 0) hidden = true;
    if (!hidden && e.relation !== undefined && relIndex.has(e.relation) &&
        state.hiddenRelations.has(relIndex.get(e.relation))) hidden = true;
    if (!hidden && (state.hiddenOrgs.has(orgOfNode.get(e.from)) ||
                    state.hiddenOrgs.has(orgOfNode.get(e.to)))) hidden = true;
    var b = base.get(e.id) || {};
    var look = {hidden: hidden, color: b.color, width: b.width, dashes: b.dashes};
    var st = e.statuses ? e.statuses[state.view]
      : (state.view === "difference" ? e.status : undefined);
    if (st && DIFF[st]) {
      var d = DIFF[st];
      look.color = d.color;
      look.dashes = d.dashes;
      look.width = e.cross_boundary ? 3.2 : 1.2;
    }
    return look;
  }

  function nodeSize(n) {
    return n.sizes && n.sizes[state.view] !== undefined ? n.sizes[state.view] : n.size;
  }

  // dashed outline: did not answer the survey in the wave shown
  function nodeDashed(n) {
    return Boolean(n.responded && n.responded[state.view] === false);
  }
  function isDashed(n) {
    return Boolean(n.shapeProperties && n.shapeProperties.borderDashes);
  }
  var DASHED = {borderDashes: [3, 3]}, SOLID = {borderDashes: false};

  // Apply the initial state to the raw data before vis draws anything.
  data.edges.forEach(function (e) {
    var l = edgeLook(e);
    e.hidden = l.hidden; e.color = l.color; e.width = l.width; e.dashes = l.dashes;
  });
  data.nodes.forEach(function (n) {
    n.hidden = nodeHidden(n);
    n.size = nodeSize(n);
    if (n.responded) n.shapeProperties = nodeDashed(n) ? DASHED : SOLID;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var tParsed = performance.now();
  var network = new vis.Network(byId("sn-map"), {nodes: nodes, edges: edges}, data.options);

  var api = window.senatenetMap = {
    nodes: nodes, edges: edges, network: network, meta: meta, state: state,
    timing: {start: t0, parsed: tParsed, created: performance.now(), firstDraw: null},
    ready: false
  };
  network.once("afterDrawing", function () {
    api.timing.firstDraw = performance.now();
    api.ready = true;
  });

  function sameDashes(a, b) {
    return JSON.stringify(a || false) === JSON.stringify(b || false);
  }

  function refresh() {
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var hidden = nodeHidden(n), size = nodeSize(n), u = null;
      if (hidden !== Boolean(n.hidden) || size !== n.size) {
        u = {id: n.id, hidden: hidden, size: size};
      }
      if (n.responded && nodeDashed(n) !== isDashed(n)) {
        u = u || {id: n.id};
        u.shapeProperties = nodeDashed(n) ? DASHED : SOLID;
      }
      if (u) nodeUpdates.push(u);
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      // send only what changed: vis re-parses every option it is given
      var l = edgeLook(e), u = null;
      if (l.hidden !== Boolean(e.hidden)) u = {id: e.id, hidden: l.hidden};
      if (l.color !== e.color || l.width !== e.width || !sameDashes(l.dashes, e.dashes)) {
        u = u || {id: e.id};
        u.color = l.color; u.width = l.width; u.dashes = l.dashes;
      }
      if (u) edgeUpdates.push(u);
    });
    if (edgeUpdates.length) edges.update(edgeUpdates);
    showStatus();
    showLegend();
  }

  function visibleEdgeIds() {
    return edges.getIds({filter: function (e) { return !e.hidden; }});
  }
  function visibleNodeIds() {
    return nodes.getIds({filter: function (n) { return !n.hidden; }});
  }

  function showStatus() {
    var shownNodes = visibleNodeIds().length, ties = 0, cross = 0;
    edges.forEach(function (e) {
      if (!e.hidden) { ties += 1; if (e.cross_boundary) cross += 1; }
    });
    byId("sn-status").textContent = "Showing " + shownNodes + " of " + meta.people +
      " people and " + ties + " ties (" + cross + " cross-boundary).";
  }

  function showLegend() {
    var diff = state.view === "difference" ||
      (meta.change_views || []).indexOf(state.view) >= 0;
    var i, el = document.querySelectorAll(".sn-diff-legend");
    for (i = 0; i < el.length; i++) el[i].classList.toggle("sn-hidden", !diff);
    el = document.querySelectorAll(".sn-wave-legend");
    for (i = 0; i < el.length; i++) {
      el[i].classList.toggle("sn-hidden", diff && meta.kind !== "survey" && meta.kind !== "graph");
    }
  }

  function setView(key) {
    if (viewKeys.indexOf(key) < 0) throw new Error("unknown view: " + key);
    state.view = key;
    var radios = document.querySelectorAll("input[name=sn-view]");
    for (var i = 0; i < radios.length; i++) {
      radios[i].checked = viewKeys[Number(radios[i].value)] === key;
    }
    refresh();
  }

  function syncOrganisations() {
    var boxes = document.querySelectorAll(".sn-org-filter");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = !state.hiddenOrgs.has(Number(boxes[i].value));
    }
    refresh();
  }

  function setOrganisationVisible(index, visible) {
    if (visible) state.hiddenOrgs.delete(index); else state.hiddenOrgs.add(index);
    syncOrganisations();
  }

  function setRelationVisible(index, visible) {
    if (visible) state.hiddenRelations.delete(index); else state.hiddenRelations.add(index);
    refresh();
  }

  function fillNames() {
    var list = byId("sn-names");
    while (list.firstChild) list.removeChild(list.firstChild);
    var labels = nodes.map(function (n) { return String(n.label); });
    labels.sort(function (a, b) { return a.localeCompare(b); });
    var frag = document.createDocumentFragment();
    labels.forEach(function (label) {
      var opt = document.createElement("option");
      opt.value = label;
      frag.appendChild(opt);
    });
    list.appendChild(frag);
  }

  function setPseudonyms(on) {
    on = Boolean(on) && meta.pseudonym_toggle;
    if (on === state.pseudonyms) return;
    state.pseudonyms = on;
    var box = byId("sn-pseudonyms");
    if (box) box.checked = on;
    var updates = [];
    nodes.forEach(function (n) {
      if (n.alt_label === undefined) return;
      updates.push({id: n.id, label: n.alt_label, alt_label: n.label,
                    title: n.alt_title, alt_title: n.title});
    });
    nodes.update(updates);
    fillNames();
  }

  function search(query) {
    var out = byId("sn-search-result");
    var q = String(query || "").trim().toLowerCase();
    if (!q) { out.textContent = ""; network.unselectAll(); return []; }
    var exact = [], partial = [];
    nodes.forEach(function (n) {
      // the tooltip's first line is the name in full (long labels are cut)
      var label = String(n.label).toLowerCase();
      var full = String(n.title || "").split("\n")[0].toLowerCase();
      if (label === q || full === q) exact.push(n.id);
      else if (label.indexOf(q) >= 0 || full.indexOf(q) >= 0) partial.push(n.id);
    });
    var found = exact.length ? exact : partial;
    if (!found.length) {
      out.textContent = "No one called \u201c" + query + "\u201d.";
      network.unselectAll();
      return [];
    }
    var first = nodes.get(found[0]);
    network.selectNodes(found);
    network.focus(found[0], {scale: Math.max(network.getScale(), 1.2),
                             animation: {duration: 500, easingFunction: "easeInOutQuad"}});
    var org = first.organisation === null || first.organisation === undefined ?
      "organisation not recorded" : first.organisation;
    var text = String(first.label) + " (" + org + ")";
    if (found.length > 1) text = found.length + " matches; showing " + text;
    if (first.hidden) text += " \u2014 hidden by the organisation filter";
    out.textContent = text;
    return found;
  }

  // Wire up the controls.
  var radios = document.querySelectorAll("input[name=sn-view]");
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", function () {
      if (this.checked) setView(viewKeys[Number(this.value)]);
    });
  }
  var orgBoxes = document.querySelectorAll(".sn-org-filter");
  for (i = 0; i < orgBoxes.length; i++) {
    orgBoxes[i].addEventListener("change", function () {
      setOrganisationVisible(Number(this.value), this.checked);
    });
  }
  var relBoxes = document.querySelectorAll(".sn-relation-filter");
  for (i = 0; i < relBoxes.length; i++) {
    relBoxes[i].addEventListener("change", function () {
      setRelationVisible(Number(this.value), this.checked);
    });
  }
  byId("sn-orgs-all").addEventListener("click", function () {
    state.hiddenOrgs.clear();
    syncOrganisations();
  });
  byId("sn-orgs-none").addEventListener("click", function () {
    meta.organisations.forEach(function (o, k) { state.hiddenOrgs.add(k); });
    syncOrganisations();
  });
  var box = byId("sn-pseudonyms");
  if (box) box.addEventListener("change", function () { setPseudonyms(this.checked); });
  var input = byId("sn-search");
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); search(input.value); }
  });
  input.addEventListener("change", function () { search(input.value); });
  byId("sn-find").addEventListener("click", function () { search(input.value); });
  byId("sn-fit").addEventListener("click", function () {
    network.fit({animation: {duration: 400}});
  });

  fillNames();
  showStatus();
  showLegend();

  api.setView = setView;
  api.setOrganisationVisible = setOrganisationVisible;
  api.setRelationVisible = setRelationVisible;
  api.setPseudonyms = setPseudonyms;
  api.search = search;
  api.visibleEdgeIds = visibleEdgeIds;
  api.visibleNodeIds = visibleNodeIds;
})();
