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
    "stable": {color: "#7D838C", dashes: [2, 4]}
  };
  // what a status is called in the text alternatives
  var STATUS_WORD = {"new": "new", "lost": "lost", "stable": "kept"};
  var REDUCED_MOTION = Boolean(window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var byId = function (id) { return document.getElementById(id); };

  var orgIndex = new Map();
  meta.organisations.forEach(function (o, i) { orgIndex.set(o.name, i); });
  var relIndex = new Map();
  meta.relations.forEach(function (r, i) { relIndex.set(r, i); });
  var viewKeys = meta.views.map(function (v) { return v.key; });

  var state = {
    view: meta.view,
    found: [],                  // ids the last search found (best matches first)
    foundHow: "",               // "exact", "partial", "words" or "near"
    query: "",                  // the last search text
    selected: null,             // the person whose ties are described
    table: false,               // the table is shown in place of the picture
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
    renderSelection();
    renderTable();
  }

  function visibleEdgeIds() {
    return edges.getIds({filter: function (e) { return !e.hidden; }});
  }
  function visibleNodeIds() {
    return nodes.getIds({filter: function (n) { return !n.hidden; }});
  }

  function isChangeView() {
    return state.view === "difference" || (meta.change_views || []).indexOf(state.view) >= 0;
  }
  function statusOf(e) {
    return e.statuses ? e.statuses[state.view]
      : (state.view === "difference" ? e.status : undefined);
  }
  function viewLabel(key) {
    var i = viewKeys.indexOf(key);
    return i >= 0 ? String(meta.views[i].label) : String(key);
  }
  // the name in full (labels drawn on the map are cut): the tooltip's first line
  function fullName(n) {
    var first = String(n.title === undefined || n.title === null ? "" : n.title).split("\n")[0];
    return first || String(n.label);
  }
  function orgText(n) {
    return n.organisation === null || n.organisation === undefined ?
      "organisation not recorded" : String(n.organisation);
  }
  function plural(k, one, many) { return k + " " + (k === 1 ? one : many); }

  // The accessible summary of what the map shows (also the map's description).
  function summaryText() {
    var shown = visibleNodeIds().length, ties = 0, cross = 0;
    var st = {"new": 0, "lost": 0, "stable": 0};
    edges.forEach(function (e) {
      if (e.hidden) return;
      ties += 1;
      if (e.cross_boundary) cross += 1;
      var s = statusOf(e);
      if (st[s] !== undefined) st[s] += 1;
    });
    var text = "Showing " + (viewKeys.length > 1 ? viewLabel(state.view) + ": " : "") +
      shown + " of " + plural(meta.people, "person", "people") + " and " +
      plural(ties, "tie", "ties") + " (" + cross + " between organisations).";
    if (isChangeView()) {
      text += " Of these ties " + st["new"] + " are new, " + st.lost + " lost and " +
        st.stable + " kept.";
    }
    if (state.hiddenOrgs.size) {
      text += " " + plural(state.hiddenOrgs.size, "organisation is", "organisations are") +
        " hidden by the filter.";
    }
    if (state.hiddenRelations.size) {
      text += " " + plural(state.hiddenRelations.size, "relation is", "relations are") +
        " hidden by the filter.";
    }
    return text;
  }

  function showStatus() {
    byId("sn-status").textContent = summaryText();
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

  // ------------------------------------------------------------ text alternatives
  // Everything below writes survey text with textContent only.
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  // A person's ties in the view shown, in words (announced when selected).
  function describePerson(id) {
    var n = nodes.get(id);
    if (!n) return "";
    var text = fullName(n) + " (" + orgText(n) + ")";
    if (n.hidden) return text + " is hidden by the organisation filter.";
    var change = isChangeView(), groups = {}, count = 0, cross = 0, people = new Set();
    edges.forEach(function (e) {
      if (e.hidden || (e.from !== id && e.to !== id)) return;
      var otherId = e.from === id ? e.to : e.from, other = nodes.get(otherId);
      if (!other) return;
      count += 1;
      people.add(otherId);
      if (e.cross_boundary) cross += 1;
      // one entry per person (and status), with the relations that tie them
      var group = groups[change ? (statusOf(e) || "") : ""] =
        groups[change ? (statusOf(e) || "") : ""] || new Map();
      if (!group.has(otherId)) {
        group.set(otherId, {name: fullName(other), org: orgText(other), relations: []});
      }
      if (e.relation !== undefined) group.get(otherId).relations.push(String(e.relation));
    });
    // the tooltip's other lines (role, organisation, answered, measures): what
    // a mouse user reads on hover
    var details = String(n.title === undefined || n.title === null ? "" : n.title)
      .split("\n").slice(1).filter(function (line) { return line; });
    var more = details.length ? " " + details.join(". ") + "." : "";
    if (!count) return text + ": no ties in this view." + more;
    var several = meta.relations.length > 1;
    function list(group) {
      var items = [];
      group.forEach(function (g) {
        g.relations.sort(function (a, b) { return relIndex.get(a) - relIndex.get(b); });
        items.push(g.name + " (" + g.org +
          (several && g.relations.length ? ": " + g.relations.join(", ") : "") + ")");
      });
      items.sort(function (a, b) { return a.localeCompare(b); });
      return items.join("; ");
    }
    text += ": " + plural(count, "tie", "ties") +
      (count !== people.size ? " with " + plural(people.size, "person", "people") : "") +
      " in this view, " + cross + " with other organisations.";
    if (change) {
      ["new", "lost", "stable"].forEach(function (s) {
        if (groups[s]) {
          var word = STATUS_WORD[s];
          text += " " + word.charAt(0).toUpperCase() + word.slice(1) + " " +
            (groups[s].size === 1 ? "tie" : "ties") + " with " + list(groups[s]) + ".";
        }
      });
    } else {
      text += " Tied to " + list(groups[""]) + ".";
    }
    return text + more;
  }

  function renderSelection() {
    var el = byId("sn-selection");
    var text = state.selected === null ? "" : describePerson(state.selected);
    if (el.textContent !== text) el.textContent = text;
  }

  // One row per tie shown: who is connected to whom (and how it changed).
  function tableRows() {
    var change = isChangeView(), several = meta.relations.length > 1, rows = [];
    edges.forEach(function (e) {
      if (e.hidden) return;
      var a = nodes.get(e.from), b = nodes.get(e.to);
      if (!a || !b) return;
      var an = fullName(a), bn = fullName(b);
      if (bn.localeCompare(an) < 0) {
        var t = a; a = b; b = t;
        t = an; an = bn; bn = t;
      }
      var strength = String(e.title === undefined || e.title === null ? "" : e.title)
        .split("\n").filter(function (line) { return line.indexOf("Strength: ") === 0; });
      var row = [an, orgText(a), bn, orgText(b), e.cross_boundary ? "yes" : "no",
                 strength.length ? strength[0].slice(10) : ""];
      if (change) row.push(STATUS_WORD[statusOf(e)] || "");
      if (several) row.push(e.relation === undefined ? "" : String(e.relation));
      rows.push(row);
    });
    rows.sort(function (x, y) {
      return x[0].localeCompare(y[0]) || x[2].localeCompare(y[2]) ||
        String(x[x.length - 1]).localeCompare(String(y[y.length - 1]));
    });
    return rows;
  }

  function tableHeader() {
    var head = ["Person", "Organisation", "Tied to", "Their organisation",
                "Between organisations", "Strength"];
    if (isChangeView()) head.push("Change (new, lost or kept)");
    if (meta.relations.length > 1) head.push("Relation");
    return head;
  }

  function renderTable() {
    if (!state.table) return;
    var table = byId("sn-table");
    var thead = table.tHead, tbody = table.tBodies[0];
    clear(thead);
    clear(tbody);
    var tr = document.createElement("tr");
    tableHeader().forEach(function (h) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var frag = document.createDocumentFragment(), tied = new Set();
    tableRows().forEach(function (row) {
      var r = document.createElement("tr");
      row.forEach(function (cell) {
        var td = document.createElement("td");
        td.textContent = cell;
        r.appendChild(td);
      });
      frag.appendChild(r);
    });
    tbody.appendChild(frag);
    edges.forEach(function (e) { if (!e.hidden) { tied.add(e.from); tied.add(e.to); } });
    var alone = [];
    nodes.forEach(function (n) { if (!n.hidden && !tied.has(n.id)) alone.push(fullName(n)); });
    alone.sort(function (a, b) { return a.localeCompare(b); });
    byId("sn-table-heading").textContent = "Who is connected to whom" +
      (viewKeys.length > 1 ? ": " + viewLabel(state.view) : "");
    byId("sn-table-summary").textContent = summaryText() +
      (alone.length ? " No tie in this view: " + alone.join("; ") + "." : "");
  }

  function showTable(on) {
    state.table = Boolean(on);
    var panel = byId("sn-table-panel"), toggle = byId("sn-table-toggle"), map = byId("sn-map");
    panel.hidden = !state.table;
    toggle.setAttribute("aria-expanded", state.table ? "true" : "false");
    toggle.textContent = state.table ? "Show as a map" : "Show as a table";
    if (state.table) {
      map.setAttribute("inert", "");
      map.setAttribute("aria-hidden", "true");
    } else {
      map.removeAttribute("inert");
      map.removeAttribute("aria-hidden");
    }
    renderTable();
  }

  // ------------------------------------------------------------------- search
  // Case- and accent-insensitive; punctuation counts as a space.
  function norm(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // Optimal string alignment distance (Levenshtein plus swapped neighbours),
  // giving up (returning max + 1) once it must exceed max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) &&
            a.charAt(i - 2) === b.charAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
        cur.push(d);
        if (d < low) low = d;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // typos allowed in a word / a whole name of this length
  function wordSlack(len) { return len < 4 ? 0 : len < 8 ? 1 : 2; }
  function nameSlack(len) { return len < 4 ? 0 : len < 8 ? 1 : len < 16 ? 2 : 3; }
  var LONGEST = 80; // no near matching of longer texts (cost grows with length squared)

  // How far the query is from a name: 0 when every word typed starts a word of
  // the name, else the fewest typos; Infinity when it is not a near match.
  function nearness(q, name) {
    var best = Infinity;
    if (q.length <= LONGEST && name.length <= LONGEST) {
      var slack = nameSlack(q.length), d = distance(q, name, slack);
      if (d <= slack) best = d;
    }
    var words = name.split(" "), total = 0;
    var typed = q.split(" ");
    for (var i = 0; i < typed.length && total < Infinity; i++) {
      var w = typed[i], m = Infinity;
      for (var k = 0; k < words.length && m > 0; k++) {
        var t = words[k];
        if (t.indexOf(w) === 0) { m = 0; break; }
        var s = wordSlack(w.length);
        if (!s || w.length > LONGEST || t.length > LONGEST + 2) continue;
        var dd = Math.min(distance(w, t, s), distance(w, t.slice(0, w.length), s));
        if (dd <= s && dd < m) m = dd;
      }
      total += m;
    }
    return Math.min(best, total);
  }

  // People matching the query, best first, and how they matched.
  function findPeople(query) {
    var q = norm(query);
    if (!q) return {ids: [], how: ""};
    var exact = [], partial = [], near = [];
    nodes.forEach(function (n) {
      var names = [norm(fullName(n)), norm(n.label)];
      if (names[0] === q || names[1] === q) { exact.push(n.id); return; }
      if (names[0].indexOf(q) >= 0 || names[1].indexOf(q) >= 0) { partial.push(n.id); return; }
      var score = Math.min(nearness(q, names[0]), nearness(q, names[1]));
      if (score < Infinity) near.push({id: n.id, score: score});
    });
    if (exact.length) return {ids: exact, how: "exact"};
    if (partial.length) return {ids: partial, how: "partial"};
    if (!near.length) return {ids: [], how: ""};
    var least = Math.min.apply(null, near.map(function (x) { return x.score; }));
    return {
      ids: near.filter(function (x) { return x.score === least; })
        .map(function (x) { return x.id; }),
      how: least === 0 ? "words" : "near"
    };
  }

  function selectPerson(id, move) {
    var n = nodes.get(id);
    if (!n) return;
    state.selected = id;
    network.selectNodes([id]);
    if (move && !n.hidden) {
      network.focus(id, {
        scale: Math.max(network.getScale(), 1.2),
        animation: REDUCED_MOTION ? false : {duration: 400, easingFunction: "easeInOutQuad"}
      });
    }
    renderSearch();
    renderSelection();
  }

  function personText(n) {
    var text = fullName(n) + " (" + orgText(n) + ")";
    if (n.hidden) text += " \u2014 hidden by the organisation filter";
    return text;
  }

  // The result line and the other matches, always from the names shown now.
  function renderSearch() {
    var out = byId("sn-search-result"), list = byId("sn-matches");
    clear(list);
    if (!state.query) { out.textContent = ""; return; }
    if (!state.found.length) {
      out.textContent = "No one called \u201c" + state.query + "\u201d or spelt like it.";
      return;
    }
    var current = state.selected !== null && state.found.indexOf(state.selected) >= 0 ?
      state.selected : state.found[0];
    var n = nodes.get(current);
    var lead = state.foundHow === "near" ? "Closest spelling: " : "Found: ";
    var text = lead + personText(n) + ".";
    if (state.found.length > 1) {
      text = state.found.length + " matches; showing " + personText(n) +
        ". Choose another below.";
    }
    out.textContent = text;
    var SHOWN = 12;
    state.found.slice(0, SHOWN).forEach(function (id) {
      if (id === current) return;
      var other = nodes.get(id);
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = fullName(other) + " (" + orgText(other) + ")";
      b.addEventListener("click", function () { selectPerson(id, true); });
      li.appendChild(b);
      list.appendChild(li);
    });
    if (state.found.length > SHOWN) {
      var more = document.createElement("li");
      more.className = "sn-note";
      more.textContent = "and " + (state.found.length - SHOWN) + " more: type more of the name.";
      list.appendChild(more);
    }
  }

  function search(query) {
    state.query = String(query === undefined || query === null ? "" : query).trim();
    var result = findPeople(state.query);
    state.found = result.ids;
    state.foundHow = result.how;
    if (state.found.length) {
      selectPerson(state.found[0], true);
    } else {
      state.selected = null;
      network.unselectAll();
      renderSearch();
      renderSelection();
    }
    return state.found.slice();
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
    // Nothing on screen may keep the other kind of name: the search box, the
    // result line, the matches, the selected person's ties and the table are
    // written again from the names shown now.
    var input = byId("sn-search");
    var shown = state.selected !== null ? state.selected :
      (state.found.length ? state.found[0] : null);
    if (shown !== null && nodes.get(shown)) {
      input.value = fullName(nodes.get(shown));
      state.query = input.value;
    } else {
      input.value = "";
      state.query = "";
      state.found = [];
    }
    renderSearch();
    renderSelection();
    renderTable();
  }

  // The next or previous person shown, in alphabetical order of the names shown.
  function stepPerson(delta) {
    var ids = visibleNodeIds().map(function (id) { return [fullName(nodes.get(id)), id]; });
    if (!ids.length) return;
    ids.sort(function (a, b) { return a[0].localeCompare(b[0]); });
    ids = ids.map(function (x) { return x[1]; });
    var i = ids.indexOf(state.selected);
    i = i < 0 ? (delta > 0 ? 0 : ids.length - 1) : (i + delta + ids.length) % ids.length;
    state.query = "";  // the search's result line no longer applies
    state.found = [];
    selectPerson(ids[i], true);
  }

  function unselect() {
    state.selected = null;
    network.unselectAll();
    renderSelection();
  }

  // ------------------------------------------------------------- tooltips
  // The page's own tooltip (vis-network's follows the pointer, so the pointer
  // can never reach it): placed beside the person or where the tie was
  // hovered, it stays while the pointer is on the person, the tie or the
  // tooltip itself, and Escape dismisses it (WCAG 1.4.13). Plain text only.
  var tip = document.createElement("div");
  tip.id = "sn-tip";
  tip.className = "sn-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  byId("sn-map").appendChild(tip);
  var tipTimer = null, overTip = false;
  var TIP_LINGER = 400; // ms the tooltip waits for the pointer to reach it

  function showTip(text, x, y) {
    clearTimeout(tipTimer);
    clear(tip);
    String(text).split("\n").forEach(function (line, k) {
      if (k) tip.appendChild(document.createElement("br"));
      tip.appendChild(document.createTextNode(line));
    });
    tip.hidden = false;
    var box = byId("sn-map"), w = tip.offsetWidth, h = tip.offsetHeight;
    var left = x + 12, top = y + 12;
    if (left + w > box.clientWidth - 4) left = Math.max(4, x - 12 - w);
    if (top + h > box.clientHeight - 4) top = Math.max(4, y - 12 - h);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function hideTip() {
    clearTimeout(tipTimer);
    tip.hidden = true;
    overTip = false;
  }
  function hideTipSoon() {
    clearTimeout(tipTimer);
    tipTimer = setTimeout(function () { if (!overTip) tip.hidden = true; }, TIP_LINGER);
  }
  tip.addEventListener("mouseenter", function () { overTip = true; clearTimeout(tipTimer); });
  tip.addEventListener("mouseleave", function () { overTip = false; hideTipSoon(); });
  network.on("hoverNode", function (params) {
    var n = nodes.get(params.node);
    if (!n || n.title === undefined || n.title === null) return;
    var c = network.canvasToDOM(network.getPosition(params.node));
    showTip(n.title, c.x, c.y);
  });
  network.on("hoverEdge", function (params) {
    var e = edges.get(params.edge);
    if (!e || e.title === undefined || e.title === null) return;
    showTip(e.title, params.pointer.DOM.x, params.pointer.DOM.y);
  });
  network.on("blurNode", hideTipSoon);
  network.on("blurEdge", hideTipSoon);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  api.tooltip = tip;
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") hideTip();
  });

  // ------------------------------------------------- keyboard, pan and zoom
  var STEP = 80; // screen pixels per key press or button press
  function pan(dx, dy) {
    var s = network.getScale(), p = network.getViewPosition();
    network.moveTo({position: {x: p.x + dx * STEP / s, y: p.y + dy * STEP / s}, scale: s});
  }
  function zoom(factor) {
    network.moveTo({position: network.getViewPosition(), scale: network.getScale() * factor});
  }
  function fit() {
    network.fit({animation: REDUCED_MOTION ? false : {duration: 400}});
  }
  var KEY_ACTIONS = {
    ArrowUp: function () { pan(0, -1); },
    ArrowDown: function () { pan(0, 1); },
    ArrowLeft: function () { pan(-1, 0); },
    ArrowRight: function () { pan(1, 0); },
    "+": function () { zoom(1.25); },
    "=": function () { zoom(1.25); },
    "]": function () { zoom(1.25); },
    PageUp: function () { zoom(1.25); },
    "-": function () { zoom(0.8); },
    "_": function () { zoom(0.8); },
    "[": function () { zoom(0.8); },
    PageDown: function () { zoom(0.8); }
  };
  var NAV_BUTTONS = [
    ["vis-up", "Pan up", KEY_ACTIONS.ArrowUp],
    ["vis-down", "Pan down", KEY_ACTIONS.ArrowDown],
    ["vis-left", "Pan left", KEY_ACTIONS.ArrowLeft],
    ["vis-right", "Pan right", KEY_ACTIONS.ArrowRight],
    ["vis-zoomIn", "Zoom in", KEY_ACTIONS["+"]],
    ["vis-zoomOut", "Zoom out", KEY_ACTIONS["-"]],
    ["vis-zoomExtends", "Fit the whole map to the window", fit]
  ];

  var frame = byId("sn-map").querySelector(".vis-network");
  if (frame) {
    // vis-network makes its frame focusable (tabindex 0); its own key bindings
    // are off (interactive.py), so each key press here, including the
    // repeats of a held key, moves the view by one fixed step.
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-roledescription", "network map");
    frame.setAttribute("aria-label", "Network map: " + byId("sn-heading").textContent);
    frame.setAttribute("aria-describedby", "sn-status sn-keys");
    frame.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (ev.key === "0" || ev.key === "Home") { ev.preventDefault(); fit(); return; }
      if (ev.key === "n" || ev.key === "N" || ev.key === "p" || ev.key === "P") {
        ev.preventDefault();
        stepPerson(ev.key.toLowerCase() === "n" ? 1 : -1);
        return;
      }
      if (ev.key === "Escape") { unselect(); return; }
      if (!KEY_ACTIONS[ev.key]) return;
      ev.preventDefault();
      KEY_ACTIONS[ev.key]();
    });
    // vis-network's navigation buttons are plain divs: give them a role, a name
    // and a place in the tab order, and make Enter and Space press them.
    NAV_BUTTONS.forEach(function (spec) {
      var b = frame.querySelector(".vis-navigation ." + spec[0]);
      if (!b) return;
      b.setAttribute("role", "button");
      b.setAttribute("tabindex", "0");
      b.setAttribute("aria-label", spec[1]);
      b.title = spec[1];
      b.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          ev.stopPropagation();
          spec[2]();
        }
      });
    });
  }

  // A person selected with the mouse is described too.
  network.on("select", function (params) {
    state.selected = params.nodes && params.nodes.length ? params.nodes[0] : null;
    renderSelection();
  });

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
  input.addEventListener("change", function () {
    if (input.value.trim() !== state.query) search(input.value);
  });
  byId("sn-find").addEventListener("click", function () { search(input.value); });
  byId("sn-fit").addEventListener("click", fit);
  byId("sn-table-toggle").addEventListener("click", function () { showTable(!state.table); });

  fillNames();
  showStatus();
  showLegend();

  api.setView = setView;
  api.setOrganisationVisible = setOrganisationVisible;
  api.setRelationVisible = setRelationVisible;
  api.setPseudonyms = setPseudonyms;
  api.search = search;
  api.findPeople = function (text) { return findPeople(text).ids; };
  api.selectPerson = function (id) { selectPerson(id, true); };
  api.describePerson = describePerson;
  api.showTable = showTable;
  api.tableHeader = tableHeader;
  api.tableRows = tableRows;
  api.summary = summaryText;
  api.visibleEdgeIds = visibleEdgeIds;
  api.visibleNodeIds = visibleNodeIds;
})();
