// kb view: the page's one script. kb computed everything (which ties each date shows,
// positions, measures, evidence); this script looks values up and draws them with sigma.js.
// Every text from the case reaches the page through textContent, never as HTML.
// API for tests and embedding: window.kbView (docs/view.md).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kb-view-data").textContent);
  performance.mark("kb-view:parsed");
  const $ = (id) => document.getElementById(id);
  const DAY = 86400000;
  const GREY = "#999999";

  const actorIndex = new Map(data.actors.map((a, k) => [a.id, k]));
  const tieIndex = new Map(data.ties.map((t, k) => [t.id, k]));
  const tieById = new Map(data.ties.map((t) => [t.id, t]));
  const dates = data.dates;
  const types = Array.from(new Set(data.ties.map((t) => t.type))).sort();
  // The slider runs over the days of the case's observation (kb answers --at only there).
  const range = data.observed || (dates.length ? [dates[0], dates[dates.length - 1]] : null);
  const first = range ? Date.parse(range[0]) : 0;
  const last = range ? Date.parse(range[1]) : 0;
  const dayCount = Math.round((last - first) / DAY);
  const nActors = data.actors.length;
  const nTies = data.ties.length;
  // Endpoints as actor indices, looked up once: a step touches only numbers.
  const sourceOf = Int32Array.from(data.ties, (t) => actorIndex.get(t.source));
  const targetOf = Int32Array.from(data.ties, (t) => actorIndex.get(t.target));

  const state = {
    date: dates.length ? dates[0] : null,
    colour: data.attributes.includes("sector") ? "sector" : data.attributes[0] || "",
    size: Object.keys(data.measures).includes("degree") ? "degree" : "",
    types: types.slice(),
    minEvidence: 0,
    triangulated: false,
    ego: "",
    selected: null,
  };

  const fold = (text) =>
    String(text || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

  // The frame showing a day: the last change date on or before it (frame 0: before all).
  function frameOf(day) {
    let lo = 0, hi = dates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dates[mid] <= day) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  const currentFrame = () => (state.date === null ? 0 : frameOf(state.date));

  // Per frame, the ties that enter and leave it (from kb's runs): moving one step applies
  // one short list instead of testing every tie.
  const enters = Array.from({ length: dates.length + 1 }, () => []);
  const leaves = Array.from({ length: dates.length + 1 }, () => []);
  data.ties.forEach((t, i) => {
    for (const [a, b] of t.frames) {
      enters[a].push(i);
      if (b !== null) leaves[b].push(i);
    }
  });
  const inFrame = new Uint8Array(nTies); // 1: kb selects the tie in the frame shown
  let frameShown = 0;
  data.ties.forEach((t, i) => { inFrame[i] = t.frames.some(([a, b]) => a <= 0 && (b === null || 0 < b)) ? 1 : 0; });
  function moveTo(k) {
    while (frameShown < k) {
      frameShown += 1;
      for (const i of leaves[frameShown]) inFrame[i] = 0;
      for (const i of enters[frameShown]) inFrame[i] = 1;
    }
    while (frameShown > k) {
      for (const i of enters[frameShown]) inFrame[i] = 0;
      for (const i of leaves[frameShown]) inFrame[i] = 1;
      frameShown -= 1;
    }
  }

  function groupOfIndex(index) {
    return state.colour ? data.actors[index].attributes[state.colour] || "(none)" : "";
  }
  const groupOf = (actorId) => groupOfIndex(actorIndex.get(actorId));

  // The filters (types, evidence, ego group) as one flag per tie and per actor, rebuilt
  // only when a filter changes, not when the date does.
  let passes = new Uint8Array(nTies);
  let inEgoGroup = new Uint8Array(nActors);
  function applyFilters() {
    const wanted = new Set(state.types);
    for (let k = 0; k < nActors; k++) inEgoGroup[k] = state.ego && groupOfIndex(k) === state.ego ? 1 : 0;
    data.ties.forEach((t, i) => {
      passes[i] = wanted.has(t.type) &&
        t.evidence_count >= state.minEvidence &&
        (!state.triangulated || t.triangulated) &&
        (!state.ego || inEgoGroup[sourceOf[i]] || inEgoGroup[targetOf[i]]) ? 1 : 0;
    });
  }

  // -- colours and sizes ---------------------------------------------------------------
  function paletteFor(values) {
    const colours = new Map();
    let k = 0;
    for (const v of values) {
      colours.set(v, v === "(none)" ? GREY : data.palette[k++ % data.palette.length]);
    }
    return colours;
  }
  const typeColours = paletteFor(types);
  // Colours depend only on the attribute coloured by: computed once per attribute.
  const colourCache = new Map();
  function groupColours() {
    if (!colourCache.has(state.colour)) {
      const values = new Set(data.actors.map((a) => groupOf(a.id)));
      colourCache.set(state.colour, paletteFor(Array.from(values).sort()));
    }
    return colourCache.get(state.colour);
  }
  // A measure of one actor in frame k: kb stores [frame, value, ...] where it changes.
  function measureAt(name, index, k) {
    const pairs = data.measures[name][index];
    let lo = 0, hi = pairs.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[2 * mid] <= k) lo = mid + 1; else hi = mid;
    }
    return lo ? pairs[2 * lo - 1] : 0;
  }
  // Sizes are scaled by the measure's highest value over the whole case, so an actor's
  // size can be compared across dates (and a step resizes only the actors it changes).
  const topCache = new Map();
  function topOf(name) {
    if (!topCache.has(name)) {
      let top = 1e-9;
      for (const pairs of data.measures[name]) for (let j = 1; j < pairs.length; j += 2) top = Math.max(top, pairs[j]);
      topCache.set(name, top);
    }
    return topCache.get(name);
  }
  function sizes() {
    const k = currentFrame();
    const top = state.size ? topOf(state.size) : 1;
    return (index) => (state.size ? 3 + 12 * Math.sqrt(measureAt(state.size, index, k) / top) : 5);
  }

  // -- the renderer --------------------------------------------------------------------
  // Undirected ties are dashed. sigma 3 ships no dashed edge program, so this one is
  // sigma's own rectangle program with two lines added to its shaders: the vertex shader
  // passes how far along the tie (in screen units) a point is, the fragment shader drops
  // every other stretch. Picking (which tie was clicked) keeps the whole line.
  function dashedProgram() {
    const Base = Sigma.rendering.EdgeRectangleProgram;
    const patch = (source, from, to) => {
      if (!source.includes(from)) throw new Error(`kb view: sigma's edge shader changed (${from}); update the dashed program`);
      return source.replace(from, to);
    };
    return class DashedEdgeProgram extends Base {
      getDefinition() {
        const definition = super.getDefinition();
        let vertex = patch(definition.VERTEX_SHADER_SOURCE, "varying vec4 v_color;", "varying vec4 v_color;\nvarying float v_dash;");
        vertex = patch(vertex, "v_color.a *= bias;",
          "v_color.a *= bias;\n  v_dash = a_positionCoef * length((u_matrix * vec3(a_positionEnd, 1)).xy - (u_matrix * vec3(a_positionStart, 1)).xy);");
        let fragment = patch(definition.FRAGMENT_SHADER_SOURCE, "varying vec4 v_color;", "varying vec4 v_color;\nvarying float v_dash;");
        fragment = patch(fragment, "#else", "#else\n  if (mod(v_dash, 0.03) > 0.018) discard;");
        return Object.assign({}, definition, { VERTEX_SHADER_SOURCE: vertex, FRAGMENT_SHADER_SOURCE: fragment });
      }
    };
  }

  let renderer = null;
  let graph = null;
  // The ids shown, built only when asked (the API, the SVG export): a step needs none.
  const visibleTieIds = () => data.ties.filter((_, i) => tieShown[i]).map((t) => t.id);
  const visibleActorIds = () => data.actors.filter((_, k) => actorShown[k]).map((a) => a.id);
  let broken = new Set();
  // What each actor and tie looks like now, by index; the reducers read these arrays.
  const tieShown = new Uint8Array(nTies);
  const tieBroken = new Uint8Array(nTies);
  const actorShown = new Uint8Array(nActors);
  const actorTies = new Int32Array(nActors); // visible ties per actor (0: drawn pale)
  const actorSize = new Float32Array(nActors);
  const actorColour = new Array(nActors).fill(GREY);
  const actorLabel = data.actors.map((a) => a.name);
  const actorHighlight = new Uint8Array(nActors);
  // The first frame draws a graph of the ties shown at the initial date only: software
  // WebGL (SwiftShader) pays for every tie in sigma's buffers, hidden ones included, and
  // on the 5 k-actor bench most ties are hidden at the first date. Right after that frame
  // is painted, or before the first redraw if one comes sooner, sigma is given the graph of
  // every tie (completeGraph; hidden ties are hidden by the reducer), so a step afterwards
  // only repaints what changed.
  let complete = false;
  function graphOf(withTie) {
    const g = new graphology.MultiGraph();
    data.actors.forEach((a, k) => {
      g.addNode(a.id, { x: a.x, y: -a.y, label: a.name, size: 5, color: GREY, k: k });
    });
    data.ties.forEach((t, i) => {
      if (!withTie(i)) return;
      g.addEdgeWithKey(t.id, t.source, t.target, {
        color: typeColours.get(t.type), size: t.directed ? 1.5 : 1, type: t.directed ? "arrow" : "dashed", i: i,
      });
    });
    return g;
  }
  function buildGraph() {
    graph = graphOf((i) => tieShown[i] === 1);
    complete = graph.size === nTies;
    try {
      // Reducers give each frame's look at draw time from the arrays above; a step
      // refreshes only the actors and ties that changed.
      renderer = new Sigma(graph, $("kb-graph"), {
        renderEdgeLabels: false,
        allowInvalidContainer: true,
        edgeProgramClasses: { dashed: dashedProgram() },
        nodeReducer: (id, attrs) => {
          const k = attrs.k;
          return {
            ...attrs,
            hidden: !actorShown[k],
            color: actorTies[k] ? actorColour[k] : "#dddddd",
            size: actorSize[k],
            highlighted: actorHighlight[k] === 1,
            label: actorLabel[k],
          };
        },
        edgeReducer: (id, attrs) => {
          const i = attrs.i;
          if (!tieShown[i]) return { ...attrs, hidden: true };
          // the ties a reform taking effect now broke (kb reforms broken-ties): thick, vermillion
          return tieBroken[i] ? { ...attrs, color: "#D55E00", size: 4 } : attrs;
        },
      });
      renderer.on("clickEdge", ({ edge }) => showTie(edge));
      renderer.on("clickNode", ({ node }) => showActor(node));
    } catch (error) {
      if (String(error && error.message).startsWith("kb view:")) throw error;
      // No WebGL (an old machine, a locked-down browser): the controls, search and
      // evidence still work; say why there is no picture.
      renderer = null;
      const note = document.createElement("p");
      note.className = "notice";
      note.textContent = "This browser cannot draw the network (no WebGL); the controls, search and evidence still work.";
      $("kb-graph").appendChild(note);
    }
  }

  function completeGraph() {
    if (complete || !renderer) return;
    complete = true;
    graph = graphOf(() => true);
    renderer.setGraph(graph); // one full repaint
    performance.mark("kb-view:complete");
  }

  // The reforms whose date falls in the frame shown (from their day to the next change).
  function reformsNow() {
    if (state.date === null) return [];
    const k = frameOf(state.date);
    return data.reforms.filter((r) => r.day && r.day <= state.date && frameOf(r.day) === k);
  }

  // Bring the arrays up to date and refresh only what changed (all of it after a filter,
  // colour or size change: `full`).
  function redraw(full) {
    moveTo(currentFrame());
    const reforms = reformsNow();
    const hit = new Map();
    for (const r of reforms) for (const o of r.organizations || []) hit.set(o.id, `${o.effect} (${r.id})`);
    const brokenNow = new Set(reforms.flatMap((r) => r.broken || []));
    const changedTies = [];
    const changedActors = new Set();
    const counts = new Int32Array(nActors);
    const ties = [];
    for (let i = 0; i < nTies; i++) {
      const shown = inFrame[i] & passes[i];
      if (shown) { counts[sourceOf[i]] += 1; counts[targetOf[i]] += 1; ties.push(i); }
      const isBroken = shown && brokenNow.has(data.ties[i].id) ? 1 : 0;
      if (shown !== tieShown[i] || isBroken !== tieBroken[i]) {
        tieShown[i] = shown;
        tieBroken[i] = isBroken;
        changedTies.push(data.ties[i].id);
      }
    }
    const colours = groupColours();
    const size = sizes();
    let highlights = false;
    for (let k = 0; k < nActors; k++) {
      const id = data.actors[k].id;
      const shown = !state.ego || inEgoGroup[k] || counts[k] > 0 ? 1 : 0;
      const label = hit.has(id) ? `${data.actors[k].name}: ${hit.get(id)}` : data.actors[k].name;
      const highlight = state.selected === id || hit.has(id) ? 1 : 0;
      const value = Math.fround(size(k)); // as the Float32Array holds it
      const colour = colours.get(groupOfIndex(k));
      if (highlight !== actorHighlight[k]) highlights = true;
      if (full || shown !== actorShown[k] || (counts[k] > 0) !== (actorTies[k] > 0) ||
          value !== actorSize[k] || label !== actorLabel[k] || highlight !== actorHighlight[k] ||
          colour !== actorColour[k]) {
        changedActors.add(id);
      }
      actorShown[k] = shown;
      actorTies[k] = counts[k];
      actorSize[k] = value;
      actorLabel[k] = label;
      actorHighlight[k] = highlight;
      actorColour[k] = colour;
    }
    broken = new Set(Array.from(brokenNow).filter((id) => tieIndex.has(id) && tieShown[tieIndex.get(id)]));
    if (renderer) {
      // sigma's partial refresh repaints the given items without re-indexing; a new
      // highlight, a filter or a large change re-processes the whole graph (as adding
      // the ties the first frame left out does).
      if (!complete) completeGraph();
      else if (full || highlights || changedTies.length + changedActors.size > (nTies + nActors) / 4) renderer.refresh();
      else renderer.refresh({ partialGraph: { nodes: Array.from(changedActors), edges: changedTies }, skipIndexation: true });
    }
    const stage = state.date && data.stages.find((s) => (!s.first || s.first <= state.date) && (!s.last || state.date <= s.last));
    $("kb-date").textContent = (state.date ? state.date : "No dated ties") + (stage ? ` · stage: ${stage.name}` : "");
    $("kb-counts").textContent = `${ties.length} ties, ${actorShown.reduce((a, b) => a + b, 0)} actors` +
      reforms.map((r) => ` · reform ${r.name} (${r.date}): ${(r.organizations || []).map((o) => `${o.id} ${o.effect}`).join(", ")}`).join("") +
      (broken.size ? ` · ${broken.size} ties it broke within 12 months shown thick` : "");
    if (state.date !== null) {
      $("kb-slider").value = String(Math.round((Date.parse(state.date) - first) / DAY));
      $("kb-slider").setAttribute("aria-valuetext", state.date);
    }
    legend(colours);
    writeFragment();
  }
  // After a filter, colour or size change: every tie and actor may look different.
  function refilter() {
    applyFilters();
    redraw(true);
  }

  let legendOf = null;
  function legend(colours) {
    if (legendOf === state.colour) return;
    legendOf = state.colour;
    const box = $("kb-legend");
    box.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = "Legend";
    box.appendChild(heading);
    const add = (colour, text) => {
      const line = document.createElement("div");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      line.append(swatch, document.createTextNode(text));
      box.appendChild(line);
    };
    for (const [value, colour] of colours) add(colour, `${state.colour}: ${value}`);
    for (const [type, colour] of typeColours) add(colour, `tie: ${type}`);
  }

  // -- panels --------------------------------------------------------------------------
  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  const nameOf = (id) => (actorIndex.has(id) ? data.actors[actorIndex.get(id)].name : id);

  function showTie(tieId) {
    const tie = tieById.get(tieId);
    if (!tie) return;
    const box = $("kb-details");
    box.replaceChildren();
    box.appendChild(element("h2", `${tie.type}: ${nameOf(tie.source)} ${tie.directed ? "→" : "—"} ${nameOf(tie.target)}`));
    box.appendChild(element("p", `Tie ${tie.id}, ${tie.start || "before observation"} to ${tie.end || "ongoing"}; ${tie.evidence_count} evidence item(s)${tie.triangulated ? ", triangulated" : ""}.`, "meta"));
    for (const item of evidence(tieId)) {
      const block = element("div", null, "item");
      block.appendChild(element("div", item.quote || item.note || "(no quote)", "quote"));
      block.appendChild(element("div", [item.id, item.kind, item.date, item.source, item.coder && `coded by ${item.coder}`].filter(Boolean).join(" · "), "meta"));
      box.appendChild(block);
    }
  }

  function showActor(actorId) {
    state.selected = actorId;
    const actor = data.actors[actorIndex.get(actorId)];
    const box = $("kb-details");
    box.replaceChildren();
    box.appendChild(element("h2", actor.name));
    box.appendChild(element("p", Object.entries(actor.attributes).map(([k, v]) => `${k}: ${v}`).join(" · "), "meta"));
    if (state.size && dates.length) box.appendChild(chart(actorId, state.size));
    // Memberships both ways (a person's organizations, an organization's members) and the
    // reforms that hit this organization: buttons lead to the other actor.
    const spell = (m) => `${m.start || "…"} to ${m.end || "…"}`;
    const links = element("ul", null, "memberships");
    for (const m of data.memberships || []) {
      if (m.member !== actorId && m.organization !== actorId) continue;
      if (!actorIndex.has(m.member) || !actorIndex.has(m.organization)) continue;
      const other = m.member === actorId ? m.organization : m.member;
      const text = m.member === actorId
        ? `${m.role || "member"} of ${nameOf(other)}, ${spell(m)}`
        : `member: ${nameOf(other)} (${m.role || "member"}), ${spell(m)}`;
      const line = element("li");
      const button = element("button", text);
      button.type = "button";
      button.addEventListener("click", () => showActor(other));
      line.appendChild(button);
      links.appendChild(line);
    }
    for (const r of data.reforms) {
      for (const o of r.organizations || []) {
        if (o.id === actorId) links.appendChild(element("li", `reform ${r.name} (${r.date || "undated"}): ${o.effect}`));
      }
    }
    if (links.childElementCount) {
      box.appendChild(element("h3", "Memberships and reforms"));
      box.appendChild(links);
    }
    box.appendChild(element("h3", "Ties"));
    const list = element("ul");
    for (const t of data.ties.filter((t) => t.source === actorId || t.target === actorId)) {
      const other = t.source === actorId ? t.target : t.source;
      const line = element("li");
      const button = element("button", `${t.start || "…"} to ${t.end || "…"}: ${t.type} with ${nameOf(other)}`);
      button.type = "button";
      button.addEventListener("click", () => showTie(t.id));
      line.appendChild(button);
      list.appendChild(line);
    }
    box.appendChild(list);
    redraw();
  }

  // A small line chart of one measure over the change dates, as inline SVG.
  function chart(actorId, measure) {
    const NS = "http://www.w3.org/2000/svg";
    const values = dates.map((_, k) => measureAt(measure, actorIndex.get(actorId), k + 1));
    const top = values.reduce((a, b) => Math.max(a, b), 1e-9);
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 300 80");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `${measure} of ${nameOf(actorId)} at each change date, highest ${top}`);
    const line = document.createElementNS(NS, "polyline");
    const step = 300 / Math.max(1, values.length - 1);
    line.setAttribute("points", values.map((v, k) => `${(k * step).toFixed(1)},${(75 - 70 * v / top).toFixed(1)}`).join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#0072B2");
    svg.appendChild(line);
    const caption = element("p", `${measure} over time (highest ${top})`, "meta");
    const box = element("div");
    box.append(caption, svg);
    return box;
  }

  // -- search (accent- and case-insensitive, over actor names and quotes) -------------
  function search(text) {
    const wanted = fold(text).trim();
    if (!wanted) return { actors: [], quotes: [] };
    const actors = data.actors.filter((a) => fold(a.name).includes(wanted) || fold(a.id).includes(wanted)).map((a) => a.id);
    const quotes = [];
    for (const [tie, items] of Object.entries(data.evidence)) {
      for (const item of items) if (fold(item.quote).includes(wanted)) quotes.push({ tie, evidence: item.id });
    }
    return { actors, quotes };
  }
  function showResults(text) {
    const found = search(text);
    const box = $("kb-results");
    box.replaceChildren();
    for (const id of found.actors.slice(0, 30)) {
      const button = element("button", nameOf(id));
      button.type = "button";
      button.addEventListener("click", () => showActor(id));
      box.appendChild(button);
    }
    for (const hit of found.quotes.slice(0, 30)) {
      const button = element("button", `${hit.evidence} (tie ${hit.tie})`);
      button.type = "button";
      button.addEventListener("click", () => showTie(hit.tie));
      box.appendChild(button);
    }
  }

  // -- time ----------------------------------------------------------------------------
  function setDate(day) {
    if (!dates.length) return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
      throw new Error(`kbView.setDate: ${day} is not a date (YYYY-MM-DD)`);
    }
    if (range && (day < range[0] || day > range[1])) {
      throw new Error(`kbView.setDate: ${day} is outside the case's observation, ${range[0]} to ${range[1]}`);
    }
    state.date = day;
    redraw();
  }
  function stops() {
    if (!$("kb-stage-mode").checked || !data.stages.length) return dates;
    return data.stages.map((s) => s.first).filter(Boolean);
  }
  function step(direction) {
    const list = stops();
    if (!list.length || state.date === null) return;
    let target;
    if (direction > 0) target = list.find((d) => d > state.date);
    else target = list.slice().reverse().find((d) => d < state.date);
    if (target) setDate(target);
  }
  let timer = null;
  function play(on) {
    clearInterval(timer);
    timer = null;
    $("kb-play").setAttribute("aria-pressed", on ? "true" : "false");
    $("kb-play").textContent = on ? "❚❚ Pause" : "▶ Play";
    if (!on) return;
    timer = setInterval(() => {
      const before = state.date;
      step(1);
      if (state.date === before) play(false);
    }, Number($("kb-speed").value));
  }

  // -- URL fragment --------------------------------------------------------------------
  // The fragment is written once the page settles (a drag or a play loop makes many steps
  // in a row; browsers throttle history updates), not at every step.
  let fragmentTimer = null;
  function writeFragment() {
    clearTimeout(fragmentTimer);
    fragmentTimer = setTimeout(writeFragmentNow, 50);
  }
  function writeFragmentNow() {
    // Embedded in kb report (an about:srcdoc frame) the page has no address of its own to
    // carry the state: only a page opened from its file keeps the state in its URL.
    if (location.protocol === "about:") return;
    const params = new URLSearchParams();
    if (state.date) params.set("date", state.date);
    if (state.colour) params.set("colour", state.colour);
    if (state.size) params.set("size", state.size);
    if (state.types.length !== types.length) params.set("types", state.types.join(","));
    if (state.minEvidence) params.set("min_evidence", String(state.minEvidence));
    if (state.triangulated) params.set("triangulated", "1");
    if (state.ego) params.set("ego", state.ego);
    if (state.selected) params.set("actor", state.selected);
    history.replaceState(null, "", "#" + params.toString());
  }
  function readFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    const day = params.get("date");
    if (day && /^\d{4}-\d{2}-\d{2}$/.test(day) && range && day >= range[0] && day <= range[1]) {
      state.date = day;
    }
    if (data.attributes.includes(params.get("colour"))) state.colour = params.get("colour");
    if (params.get("size") in data.measures) state.size = params.get("size");
    if (params.has("types")) state.types = params.get("types").split(",").filter((t) => types.includes(t));
    state.minEvidence = Math.max(0, parseInt(params.get("min_evidence") || "0", 10) || 0);
    state.triangulated = params.get("triangulated") === "1";
    state.ego = params.get("ego") || "";
    state.selected = actorIndex.has(params.get("actor")) ? params.get("actor") : null;
  }

  // -- export --------------------------------------------------------------------------
  function download(name, url) {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.click();
  }
  function svgText() {
    const W = 1000, H = 1000, pad = 20;
    const place = (a) => [pad + a.x * (W - 2 * pad), pad + a.y * (H - 2 * pad)];
    const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    const colours = groupColours();
    const size = sizes();
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}"><title>${esc(data.title)} at ${esc(state.date)}</title>`];
    for (const t of data.ties.filter((_, i) => tieShown[i])) {
      const [x1, y1] = place(data.actors[actorIndex.get(t.source)]);
      const [x2, y2] = place(data.actors[actorIndex.get(t.target)]);
      parts.push(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${typeColours.get(t.type)}"${t.directed ? "" : ' stroke-dasharray="6 4"'}><title>${esc(t.id)}</title></line>`);
    }
    for (const id of visibleActorIds()) {
      const k = actorIndex.get(id);
      const [x, y] = place(data.actors[k]);
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${size(k).toFixed(1)}" fill="${colours.get(groupOf(id))}"><title>${esc(data.actors[k].name)}</title></circle>`);
    }
    parts.push("</svg>");
    return parts.join("\n");
  }
  function exportPng() {
    const canvas = document.createElement("canvas");
    canvas.width = 1000; canvas.height = 1000;
    const image = new Image();
    image.onload = () => {
      const context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, 1000, 1000);
      context.drawImage(image, 0, 0);
      download(`kb-view-${state.date}.png`, canvas.toDataURL("image/png"));
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText());
  }

  // -- controls ------------------------------------------------------------------------
  function option(select, value, text) {
    const node = element("option", text || value);
    node.value = value;
    select.appendChild(node);
  }
  function egoOptions() {
    const select = $("kb-ego");
    select.replaceChildren();
    option(select, "", "everyone");
    for (const value of Array.from(new Set(data.actors.map((a) => groupOf(a.id)))).sort()) option(select, value);
    select.value = state.ego;
  }
  function setUp() {
    readFragment();
    for (const name of data.attributes) option($("kb-colour"), name);
    for (const name of Object.keys(data.measures)) option($("kb-size"), name);
    option($("kb-size"), "", "none");
    $("kb-colour").value = state.colour;
    $("kb-size").value = state.size;
    for (const type of types) {
      const label = element("label");
      const box = element("input");
      box.type = "checkbox";
      box.value = type;
      box.checked = state.types.includes(type);
      box.addEventListener("change", () => {
        state.types = types.filter((t) => document.querySelector(`#kb-types input[value="${t}"]`).checked);
        refilter();
      });
      label.append(box, document.createTextNode(" " + type));
      $("kb-types").appendChild(label);
    }
    egoOptions();
    $("kb-min-evidence").value = String(state.minEvidence);
    $("kb-triangulated").checked = state.triangulated;
    const slider = $("kb-slider");
    slider.max = String(Math.max(0, dayCount));
    slider.disabled = !dates.length;
    slider.parentElement.hidden = !dates.length;
    for (const mark of data.marks) {
      option($("kb-marks"), String(Math.round((Date.parse(mark.date) - first) / DAY)), mark.date);
      if (mark.kind === "change" || !dayCount) continue;
      const tick = element("span", null, mark.kind);
      tick.style.left = `${(100 * (Date.parse(mark.date) - first)) / (DAY * dayCount)}%`;
      tick.title = `${mark.date} ${mark.label}`;
      $("kb-mark-strip").appendChild(tick);
    }
    slider.addEventListener("input", () => setDate(iso(first + Number(slider.value) * DAY)));
    $("kb-prev").addEventListener("click", () => step(-1));
    $("kb-next").addEventListener("click", () => step(1));
    $("kb-play").addEventListener("click", () => play(timer === null));
    $("kb-colour").addEventListener("change", (e) => { state.colour = e.target.value; state.ego = ""; egoOptions(); refilter(); });
    $("kb-size").addEventListener("change", (e) => { state.size = e.target.value; refilter(); });
    $("kb-min-evidence").addEventListener("change", (e) => { state.minEvidence = Math.max(0, parseInt(e.target.value, 10) || 0); refilter(); });
    $("kb-triangulated").addEventListener("change", (e) => { state.triangulated = e.target.checked; refilter(); });
    $("kb-ego").addEventListener("change", (e) => { state.ego = e.target.value; refilter(); });
    $("kb-search").addEventListener("input", (e) => showResults(e.target.value));
    $("kb-png").addEventListener("click", exportPng);
    $("kb-svg").addEventListener("click", () => download(`kb-view-${state.date}.svg`, URL.createObjectURL(new Blob([svgText()], { type: "image/svg+xml" }))));
    // PageUp / PageDown step between change dates from anywhere but a text field.
    document.addEventListener("keydown", (e) => {
      if (e.key !== "PageDown" && e.key !== "PageUp") return;
      if (e.target.tagName === "INPUT" && !["range", "checkbox"].includes(e.target.type)) return;
      e.preventDefault();
      step(e.key === "PageDown" ? 1 : -1);
    });
    if (!dates.length) {
      $("kb-graph").appendChild(element("p", data.ties.length ? "No tie of this case has a date: the view has one state." : "This case has no ties to show.", "notice"));
    }
    performance.mark("kb-view:controls");
    applyFilters();
    redraw(true); // fills the arrays the renderer's reducers read
    performance.mark("kb-view:frame");
    buildGraph();
    performance.mark("kb-view:drawn");
    // "painted": the first frame has been committed (the task after the animation frame
    // that drew it); bench/view_bench.py calls the page loaded then.
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark("kb-view:painted");
      completeGraph();
    }, 0));
    if (state.selected) showActor(state.selected);
  }

  function evidence(tieId) {
    if (!tieById.has(tieId)) throw new Error(`kbView.evidence: no tie ${tieId}`);
    return (data.evidence[tieId] || []).map((item) => Object.assign({}, item));
  }

  window.kbView = {
    dates: () => dates.slice(),
    setDate: setDate,
    visibleTies: () => visibleTieIds().sort(),
    visibleActors: () => visibleActorIds().sort(),
    reforms: () => reformsNow().map((r) => r.id),
    brokenTies: () => Array.from(broken).sort(),
    measure: (name, actorId) => measureAt(name, actorIndex.get(actorId), state.date === null ? 0 : frameOf(state.date)),
    evidence: evidence,
    search: search,
    // Open an actor's panel (as a click does); returns the panel's text.
    select: (actorId) => {
      if (!actorIndex.has(actorId)) throw new Error(`kbView.select: no actor ${actorId}`);
      showActor(actorId);
      return $("kb-details").textContent;
    },
    state: () => JSON.parse(JSON.stringify(state)),
    next: () => step(1),
    previous: () => step(-1),
    svg: svgText,
  };
  setUp();
})();
