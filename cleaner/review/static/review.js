// cleaner review: the page. Plain JS, no libraries. Transcript text only ever goes into the
// page through textContent, attributes and title (never parsed as HTML), so it cannot run.
"use strict";
(function () {
  const token = document.querySelector('meta[name="review-token"]').content;
  const $ = (id) => document.getElementById(id);
  let data = null;        // what /api/data returned last
  let current = -1;       // the selected turn
  let queuePos = -1;      // where we are in data.queue
  let word = null;        // {turn, l, c} of the word clicked, for "from word" fixes
  let changedPos = -1;
  const audio = $("audio");

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clock(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    const two = (n) => String(n).padStart(2, "0");
    return (h ? h + ":" : "") + two(m) + ":" + two(s % 60);
  }

  function status(text, bad) {
    const node = $("status");
    node.textContent = text;
    node.className = bad ? "bad" : "";
  }

  async function call(url, payload, note) {
    if (note !== null) status(note || "Saving…");
    let response;
    try {
      response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-Review-Token": token},
        body: JSON.stringify(payload),
      });
    } catch (error) {
      status("Not saved: the review server is not reachable", true);
      return null;
    }
    const body = await response.json().catch(() => ({error: "bad answer from the server"}));
    if (!response.ok) {
      status("Not done: " + (body.error || response.status), true);
      return null;
    }
    return body;
  }

  async function act(payload, note) {
    const body = await call("/api/action", payload, note);
    if (!body) return;
    data = body;
    render();
    status("Saved to " + data.sidecar);
    const others = data.changed.length;
    $("notice").textContent = data.fixed.length || others
      ? (others ? "This fix changed " + others + " other turn" + (others === 1 ? "" : "s") +
         " (highlighted)." : "No other turn changed.")
      : "";
    $("next-changed").hidden = !others;
    changedPos = -1;
  }

  function editTitle(run) {
    const what = run.a === "" ? "removed “" + run.b + "”" : "“" + run.b + "” → “" + run.a + "”";
    return run.r + " (" + run.g + "): " + what + (run.x ? "" : " — rejected, original kept");
  }

  function renderTurn(turn, changed, fixed) {
    const node = el("article", "turn");
    node.id = "t" + turn.i;
    node.tabIndex = -1;
    node.dataset.i = turn.i;
    if (turn.review) node.classList.add("review");
    if (turn.pinned) node.classList.add("pinned");
    if (changed.has(turn.i)) node.classList.add("changed");
    if (fixed.has(turn.i)) node.classList.add("fixed");
    if (turn.i === current) node.classList.add("current");
    const head = el("div", "meta");
    head.appendChild(el("span", "speaker", turn.speaker || "(no speaker)"));
    if (turn.start !== null && turn.start !== undefined) {
      const time = el("button", "time", clock(turn.start));
      time.type = "button";
      time.dataset.start = turn.start;
      time.title = "Play from here";
      head.appendChild(time);
    }
    if (turn.confidence !== null) {
      head.appendChild(el("span", "conf", Math.round(turn.confidence * 100) + "%"));
    }
    if (turn.pinned) head.appendChild(el("span", "tag", "fixed by you"));
    else if (turn.review) head.appendChild(el("span", "tag", "check speaker"));
    node.appendChild(head);
    const text = el("p", "text");
    for (const run of turn.runs) {
      if (run.k) {
        const mark = el("mark", "edit" + (run.x ? "" : " rej") + (run.x && run.a === "" ? " del" : ""),
                        run.x && run.a !== "" ? run.a : run.b);
        mark.tabIndex = 0;
        mark.title = editTitle(run);
        mark.dataset.k = run.k;
        mark.dataset.l = run.l;
        mark.dataset.c = run.c;
        text.appendChild(mark);
      } else {
        const span = el("span", "w", run.t);
        span.dataset.l = run.l;
        span.dataset.c = run.c;
        text.appendChild(span);
      }
    }
    node.appendChild(text);
    return node;
  }

  function render() {
    const changed = new Set(data.changed), fixed = new Set(data.fixed);
    const box = $("turns");
    const fragment = document.createDocumentFragment();
    for (const turn of data.turns) fragment.appendChild(renderTurn(turn, changed, fixed));
    box.replaceChildren(fragment);
    $("undo").disabled = !data.undo;
    $("redo").disabled = !data.redo;
    const names = $("names");
    names.replaceChildren(...data.speakers.map((name) => { const o = el("option"); o.value = name; return o; }));
    const format = $("format");
    if (!format.options.length) {
      for (const name of data.formats) { const o = el("option", "", name); o.value = name; format.appendChild(o); }
      format.value = "md";
    }
    const rules = $("rules");
    rules.replaceChildren(...data.rules.map(ruleItem));
    $("no-times").hidden = data.times || !audio;
    if (current >= data.turns.length) current = data.turns.length - 1;
    if (current >= 0) select(current, false);
    queueLabel();
  }

  function ruleItem(rule) {
    const item = el("li");
    item.appendChild(el("span", "rule", rule.rule + " (" + rule.category + ") " + rule.accepted + "/" + rule.count));
    item.appendChild(button("accept all", () => act({op: "decide", scope: "rule", key: rule.rule, accept: true})));
    item.appendChild(button("reject all", () => act({op: "decide", scope: "rule", key: rule.rule, accept: false})));
    return item;
  }

  function button(label, onClick, title) {
    const node = el("button", "", label);
    node.type = "button";
    if (title) node.title = title;
    node.addEventListener("click", onClick);
    return node;
  }

  function queueLabel() {
    const total = data.queue.length;
    $("queue-pos").textContent = total
      ? "Unsure " + (queuePos >= 0 ? queuePos + 1 : "–") + " of " + total
      : "No unsure turns";
  }

  function select(index, scroll) {
    const old = document.querySelector(".turn.current");
    if (old) old.classList.remove("current");
    current = index;
    const turn = data.turns[index];
    const node = $("t" + index);
    if (!turn || !node) return;
    node.classList.add("current");
    if (scroll) {
      node.scrollIntoView({block: "start"});
      node.focus({preventScroll: true});
    }
    $("panel-turn").textContent = String(index + 1);
    $("panel-speaker").textContent = turn.speaker || "(no speaker)";
    $("voice-name").textContent = turn.voice || "(none)";
    $("fix-voice").disabled = !turn.voice;
    $("panel-why").textContent = (turn.confidence !== null ? "Confidence " + Math.round(turn.confidence * 100) + "%. " : "") +
      turn.evidence.join("; ");
    const edits = $("panel-edits");
    edits.replaceChildren(...turn.runs.filter((run) => run.k).map((run) => {
      const item = el("li", run.x ? "" : "rej");
      item.appendChild(el("span", "", editTitle(run)));
      item.appendChild(button(run.x ? "reject" : "accept",
        () => act({op: "decide", scope: "edit", key: run.k, accept: !run.x})));
      item.appendChild(button("rule", () => act({op: "decide", scope: "rule", key: run.r, accept: !run.x}),
        (run.x ? "Reject" : "Accept") + " every change of rule " + run.r));
      item.appendChild(button("category", () => act({op: "decide", scope: "category", key: run.g, accept: !run.x}),
        (run.x ? "Reject" : "Accept") + " every change of category " + run.g));
      return item;
    }));
    if (!edits.children.length) edits.appendChild(el("li", "why", "none"));
    if (!word || word.turn !== index) {
      word = null;
      $("fix-rest").disabled = true;
      $("word").disabled = $("edit-word").disabled = true;
      $("word").value = "";
    }
    $("merge-prev").disabled = index === 0;
  }

  function move(step) {
    const next = Math.min(Math.max(current + step, 0), data.turns.length - 1);
    select(next, true);
  }

  function moveQueue(step) {
    if (!data.queue.length) return;
    queuePos = queuePos < 0 ? (step > 0 ? 0 : data.queue.length - 1)
                            : (queuePos + step + data.queue.length) % data.queue.length;
    select(data.queue[queuePos], true);
    queueLabel();
  }

  function relabel(scope) {
    if (current < 0) return;
    const speaker = $("speaker").value.trim();
    if (!speaker) { status("Type a speaker name first", true); $("speaker").focus(); return; }
    const payload = {op: "relabel", turn: current, speaker: speaker, scope: scope};
    if (scope === "rest") {
      if (!word || word.turn !== current) { status("Click the word the new speaker starts at", true); return; }
      payload.line = word.l;
      payload.col = word.c;
    }
    // Show the fix at once; the re-decoded turns (and what the fix carried) follow.
    const turn = data.turns[current];
    const mine = scope === "voice" ? data.turns.filter((t) => t.voice === turn.voice && !t.pinned) : [turn];
    if (scope !== "rest") for (const t of mine) $("t" + t.i).querySelector(".speaker").textContent = speaker;
    act(payload, "Re-deciding the speakers…");
  }

  function focusedEdit() {
    const node = document.activeElement;
    return node && node.matches && node.matches("mark.edit") ? node : null;
  }

  function play(seconds) {
    if (!audio || seconds === undefined || seconds === null) return;
    audio.currentTime = Number(seconds);
    audio.play().catch(() => {});
  }

  function onClick(event) {
    const target = event.target;
    const turnNode = target.closest && target.closest(".turn");
    if (!turnNode) return;
    const index = Number(turnNode.dataset.i);
    if (target.matches("button.time")) { select(index, false); play(target.dataset.start); return; }
    select(index, false);
    if (target.matches("span.w, mark.edit")) pickWord(index, target);
  }

  function pickWord(index, target) {
    const old = document.querySelector(".w.sel, .edit.sel");
    if (old) old.classList.remove("sel");
    target.classList.add("sel");
    word = {turn: index, l: Number(target.dataset.l), c: Number(target.dataset.c),
            text: target.textContent.trim(), plain: target.matches("span.w")};
    $("fix-rest").disabled = false;
    $("word").disabled = $("edit-word").disabled = !word.plain;
    $("word").value = word.plain ? word.text : "";
  }

  function moveWord(step) {
    if (current < 0) return;
    const words = [...$("t" + current).querySelectorAll("span.w, mark.edit")]
      .filter((node) => node.textContent.trim());
    if (!words.length) return;
    const at = words.findIndex((node) => node.classList.contains("sel"));
    const next = at < 0 ? (step > 0 ? 0 : words.length - 1) : Math.min(Math.max(at + step, 0), words.length - 1);
    pickWord(current, words[next]);
    words[next].scrollIntoView({block: "nearest"});
  }

  function onKey(event) {
    const typing = event.target.matches && event.target.matches("input, select, textarea");
    if (typing) {
      if (event.target.id === "speaker" && event.key === "Enter") {
        event.preventDefault();
        relabel(event.shiftKey ? "voice" : (event.ctrlKey || event.altKey) ? "rest" : "turn");
      } else if (event.target.id === "word" && event.key === "Enter") {
        event.preventDefault();
        editWord();
      } else if (event.target.id === "find" && event.key === "Enter") {
        event.preventDefault();
        preview();
      } else if (event.key === "Escape") {
        event.target.blur();
        if (current >= 0) $("t" + current).focus();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    const edit = focusedEdit();
    if (key === "n") moveQueue(1);
    else if (key === "p") moveQueue(-1);
    else if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "e") { event.preventDefault(); $("speaker").focus(); $("speaker").select(); }
    else if (key === "z") act({op: "undo"});
    else if (key === "y") act({op: "redo"});
    else if (key === "c") nextChanged();
    else if (key === "m") mergePrevious();
    else if (key === "l") moveWord(1);
    else if (key === "h") moveWord(-1);
    else if (key === "w" && word && word.plain) { event.preventDefault(); $("word").focus(); $("word").select(); }
    else if (key === "f") { event.preventDefault(); $("find").focus(); }
    else if ((key === "a" || key === "r") && edit) act({op: "decide", scope: "edit", key: edit.dataset.k, accept: key === "a"});
    else if (key === " " && audio) { event.preventDefault(); if (audio.paused) audio.play().catch(() => {}); else audio.pause(); }
    else if (key === "b" && audio) audio.currentTime = Math.max(0, audio.currentTime - 5);
    else return;
  }

  function mergePrevious() {
    if (current <= 0) return;
    act({op: "relabel", turn: current, speaker: data.turns[current - 1].speaker, scope: "turn"});
  }

  function editWord() {
    if (!word || !word.plain) return;
    const value = $("word").value.trim();
    if (!value || value === word.text) return;
    act({op: "word", line: word.l, col: word.c, text: word.text, with: value});
  }

  let matches = [];
  async function preview() {
    const query = $("find").value;
    const body = await call("/api/find", {query: query, case: $("find-case").checked}, null);
    matches = body ? body.matches : [];
    const list = $("matches");
    list.replaceChildren(...matches.map((match, index) => {
      const item = el("li");
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.index = index;
      box.setAttribute("aria-label", "replace this one");
      item.appendChild(box);
      item.appendChild(el("span", "why", "…" + match.left));
      item.appendChild(el("mark", "", match.before));
      item.appendChild(el("span", "why", match.right + "… "));
      item.appendChild(el("span", "", "→ " + $("replace").value));
      const go = button("turn " + (match.turn + 1), () => select(match.turn, true));
      item.appendChild(go);
      return item;
    }));
    $("replace-go").disabled = !matches.length;
    $("replace-go").textContent = "Replace checked (" + matches.length + ")";
    if (body) status(matches.length ? matches.length + " found" : "Not found (text a rule changed is not searched)");
  }

  async function replaceChecked() {
    const only = [...document.querySelectorAll("#matches input:checked")].map((box) => Number(box.dataset.index));
    if (!only.length) return;
    await act({op: "replace", query: $("find").value, with: $("replace").value,
               case: $("find-case").checked, only: only});
    $("matches").replaceChildren();
    $("replace-go").disabled = true;
  }

  function nextChanged() {
    if (!data.changed.length) return;
    changedPos = (changedPos + 1) % data.changed.length;
    select(data.changed[changedPos], true);
  }

  function onFocus(event) {
    const target = event.target;
    if (target.matches && target.matches("mark.edit")) {
      $("tip").textContent = target.title;
      const turnNode = target.closest(".turn");
      if (turnNode && Number(turnNode.dataset.i) !== current) select(Number(turnNode.dataset.i), false);
    } else if (target.matches && target.matches(".turn")) {
      select(Number(target.dataset.i), false);
    }
  }

  function onTime() {
    if (!data || !data.times) return;
    const now = audio.currentTime;
    let playing = -1;
    for (const turn of data.turns) {
      if (turn.start !== null && turn.start <= now) playing = turn.i; else if (turn.start !== null) break;
    }
    const old = document.querySelector(".turn.playing");
    if (old && Number(old.dataset.i) !== playing) old.classList.remove("playing");
    if (playing >= 0) $("t" + playing).classList.add("playing");
  }

  async function start() {
    const response = await fetch("/api/data", {credentials: "same-origin", headers: {"X-Review-Token": token}});
    if (!response.ok) { status("Cannot load the review (" + response.status + ")", true); return; }
    data = await response.json();
    render();
    status(data.undo ? "Resumed from " + data.sidecar : "Ready");
    document.body.dataset.ready = "1";
  }

  $("undo").addEventListener("click", () => act({op: "undo"}));
  $("redo").addEventListener("click", () => act({op: "redo"}));
  $("restore").addEventListener("click", () => act({op: "restore"}));
  $("prev").addEventListener("click", () => moveQueue(-1));
  $("next").addEventListener("click", () => moveQueue(1));
  $("next-changed").addEventListener("click", nextChanged);
  $("fix-turn").addEventListener("click", () => relabel("turn"));
  $("fix-rest").addEventListener("click", () => relabel("rest"));
  $("fix-voice").addEventListener("click", () => relabel("voice"));
  $("add-person").addEventListener("click", () => {
    const name = $("person").value.trim();
    if (name) act({op: "person", name: name}).then(() => { $("person").value = ""; $("speaker").value = name; });
  });
  $("export").addEventListener("click", async () => {
    const body = await call("/api/export", {format: $("format").value, name: $("export-name").value.trim()});
    if (body) status("Exported to " + body.written);
  });
  $("merge-prev").addEventListener("click", mergePrevious);
  $("edit-word").addEventListener("click", editWord);
  $("find-go").addEventListener("click", preview);
  $("make-rule").addEventListener("click", async () => {
    const body = await call("/api/rule", {pack: $("pack").value.trim()});
    if (body) status(body.summary);
  });
  $("replace-go").addEventListener("click", replaceChecked);
  $("turns").addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  document.addEventListener("focusin", onFocus);
  if (audio) audio.addEventListener("timeupdate", onTime);
  start();
})();
