// Runs the book's examples in the page, on the simulator compiled to WebAssembly (web/).
//
// Each `<details class="ioa-example">` holding a ```toml scenario becomes an editable box with a
// seed, the layer to draw and Run; the report `ioa run` would print and the space-time diagram
// appear under it. The playground (`#ioa-playground`) runs any bundled or pasted scenario over a
// few dozen seeds and plots a figure per seed. Runs happen in a Web Worker, so the page stays
// responsive and a long run can be stopped. With JavaScript off, or before web/build.sh has
// built the module, the boxes stay plain scenario listings and the pre-drawn figures remain.
(function () {
  "use strict";

  const root = new URL("../", document.currentScript.src);
  const moduleUrl = new URL("generated/wasm/ioa-wasm.js", root).href;
  const scenariosUrl = new URL("generated/wasm/ioa-scenarios.js", root).href;

  function loadScript(url) {
    return new Promise(function (ok, fail) {
      const s = document.createElement("script");
      s.src = url;
      s.onload = ok;
      s.onerror = function () {
        fail(new Error("could not load " + url + ": build the book with web/build.sh first"));
      };
      document.head.appendChild(s);
    });
  }

  // The worker: wasm-bindgen's glue plus this loop. It compiles the module it is sent, then
  // answers one call at a time: {id, fn, args} -> {id, answer (parsed JSON), ms}.
  function workerMain() {
    self.onmessage = function (e) {
      const m = e.data;
      if (m.module) {
        wasm_bindgen.initSync({ module: m.module });
        return;
      }
      const t0 = performance.now();
      let answer;
      try {
        answer = JSON.parse(wasm_bindgen[m.fn].apply(null, m.args));
      } catch (err) {
        answer = { ok: false, error: { message: "the simulator stopped: " + err }, crashed: true };
      }
      self.postMessage({ id: m.id, answer: answer, ms: performance.now() - t0 });
    };
  }

  let worker = null;
  let pending = new Map();
  let nextId = 1;

  function startWorker() {
    const src = self.IOA_WASM.glue + "\n(" + workerMain.toString() + ")();\n";
    const w = new Worker(URL.createObjectURL(new Blob([src], { type: "text/javascript" })));
    const bin = atob(self.IOA_WASM.wasm);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    w.postMessage({ module: bytes.buffer }, [bytes.buffer]);
    w.onmessage = function (e) {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (e.data.answer.crashed) stop(); // a trapped module is not reused
      if (p) p.ok(e.data);
    };
    return w;
  }

  // Calls `fn(...args)` in the worker; resolves with {answer, ms}.
  function call(fn, args) {
    return (self.IOA_WASM ? Promise.resolve() : loadScript(moduleUrl)).then(function () {
      if (!worker) worker = startWorker();
      const id = nextId++;
      return new Promise(function (ok, fail) {
        pending.set(id, { ok: ok, fail: fail });
        worker.postMessage({ id: id, fn: fn, args: args });
      });
    });
  }

  // Stops whatever runs: the worker is thrown away and a new one starts with the next call.
  function stop() {
    if (worker) worker.terminate();
    worker = null;
    for (const p of pending.values()) p.fail(new Error("stopped"));
    pending = new Map();
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (const c of children || []) e.appendChild(c);
    return e;
  }

  function field(label, value, size, hint) {
    const input = el("input", { type: "text", value: value || "", size: String(size || 6), placeholder: hint || "" });
    return { input: input, label: el("label", { text: label + " " }, [input]) };
  }

  // Shows an answer under an example: the text report, then the diagram.
  function show(out, r, ms) {
    out.textContent = "";
    const a = r.answer;
    if (!a.ok) {
      out.appendChild(el("pre", { class: "ioa-error", text: a.error.message }));
      return;
    }
    const report = JSON.parse(a.output.report);
    out.dataset.verdict = report.verdict;
    out.appendChild(
      el("p", { class: "ioa-verdict ioa-" + report.verdict, text: "verdict: " + report.verdict + " (" + Math.round(ms) + " ms in the page)" })
    );
    out.appendChild(el("pre", { class: "ioa-report", text: a.output.text }));
    const fig = el("div", { class: "ioa-diagram" });
    fig.innerHTML = a.output.svg;
    out.appendChild(fig);
  }

  function example(details) {
    const code = details.querySelector("pre code");
    if (!code) return;
    const original = code.textContent;
    const box = el("textarea", { class: "ioa-toml", spellcheck: "false", rows: String(Math.min(28, original.split("\n").length + 1)) });
    box.value = original;
    const seed = field("seed", "", 5, "its own");
    const layer = field("layer", details.dataset.layer, 6, "its own");
    const from = field("from", details.dataset.from, 5, "start");
    const until = field("until", details.dataset.until, 5, "end");
    const run = el("button", { type: "button", class: "ioa-run", text: "Run" });
    const halt = el("button", { type: "button", class: "ioa-stop", text: "Stop", disabled: "" });
    const reset = el("button", { type: "button", text: "Reset" });
    const status = el("span", { class: "ioa-status" });
    const out = el("div", { class: "ioa-output" });
    const controls = el("div", { class: "ioa-controls" }, [seed.label, layer.label, from.label, until.label, run, halt, reset, status]);
    code.closest("pre").replaceWith(el("div", { class: "ioa-editor" }, [box, controls, out]));

    run.addEventListener("click", function () {
      run.disabled = true;
      halt.disabled = false;
      status.textContent = "running…";
      call("run", [box.value, seed.input.value, layer.input.value, from.input.value, until.input.value])
        .then(function (r) {
          status.textContent = "";
          show(out, r, r.ms);
        })
        .catch(function (err) {
          status.textContent = String(err.message || err);
        })
        .finally(function () {
          run.disabled = false;
          halt.disabled = true;
        });
    });
    halt.addEventListener("click", stop);
    reset.addEventListener("click", function () {
      box.value = original;
      out.textContent = "";
    });
  }

  // The playground: a scenario (bundled or pasted), seeds 1..N, one figure per seed plotted.
  function playground(div) {
    const pick = el("select", { class: "ioa-pick" }, [el("option", { value: "", text: "(choose a bundled scenario)" })]);
    const box = el("textarea", { class: "ioa-toml", spellcheck: "false", rows: "20" });
    const seeds = field("seeds", "30", 4);
    const metric = field("metric", "messages", 14);
    const go = el("button", { type: "button", class: "ioa-run", text: "Sweep" });
    const halt = el("button", { type: "button", class: "ioa-stop", text: "Stop" });
    const status = el("span", { class: "ioa-status" });
    const out = el("div", { class: "ioa-output" });
    div.appendChild(el("div", { class: "ioa-editor" }, [pick, box, el("div", { class: "ioa-controls" }, [seeds.label, metric.label, go, halt, status]), out]));
    loadScript(scenariosUrl)
      .then(function () {
        for (const name of Object.keys(self.IOA_SCENARIOS).sort()) pick.appendChild(el("option", { value: name, text: name }));
      })
      .catch(function (err) {
        status.textContent = String(err.message);
      });
    pick.addEventListener("change", function () {
      if (pick.value) box.value = self.IOA_SCENARIOS[pick.value];
    });
    halt.addEventListener("click", stop);
    go.addEventListener("click", async function () {
      const n = Math.max(1, Math.min(200, parseInt(seeds.input.value, 10) || 30));
      const rows = [];
      go.disabled = true;
      out.textContent = "";
      try {
        for (let s = 1; s <= n; s++) {
          status.textContent = "seed " + s + " of " + n + "…";
          const r = await call("report", [box.value, String(s)]);
          if (!r.answer.ok) {
            out.appendChild(el("pre", { class: "ioa-error", text: r.answer.error.message }));
            return;
          }
          rows.push(r.answer.output);
        }
        status.textContent = "";
        plot(out, rows, metric.input.value.trim());
      } catch (err) {
        status.textContent = String(err.message || err);
      } finally {
        go.disabled = false;
      }
    });
  }

  // The figure `name` of a run's report: a runner statistic or a monitor's measurement.
  function figure(report, name) {
    const stat = { messages: "messages_sent", delivered: "messages_delivered" }[name] || name;
    if (typeof report.stats[stat] === "number") return report.stats[stat];
    if (report.metrics && typeof report.metrics[name] === "number") return report.metrics[name];
    return null;
  }

  function plot(out, rows, name) {
    const violated = rows.filter(function (r) { return r.verdict === "violation"; }).length;
    const values = rows.map(function (r) { return figure(r, name); });
    const known = values.filter(function (v) { return v !== null; });
    out.dataset.violations = String(violated);
    out.appendChild(el("p", { class: "ioa-verdict", text: "violation rate " + violated + "/" + rows.length + (known.length ? "; " + name + ": mean " + (known.reduce(function (a, b) { return a + b; }, 0) / known.length).toFixed(2) : "; no figure named " + name) }));
    if (!known.length) return;
    const W = 700, H = 260, L = 60, B = 40, T = 10;
    const max = Math.max.apply(null, known.concat([1]));
    const x = function (i) { return L + ((W - L - 20) * i) / Math.max(1, rows.length - 1); };
    const y = function (v) { return T + (H - T - B) * (1 - v / max); };
    let svg = '<svg class="ioa-sweep" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + " " + H + '" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">';
    svg += '<line x1="' + L + '" y1="' + (H - B) + '" x2="' + (W - 10) + '" y2="' + (H - B) + '" stroke="#000"/><line x1="' + L + '" y1="' + T + '" x2="' + L + '" y2="' + (H - B) + '" stroke="#000"/>';
    svg += '<text x="' + (L - 6) + '" y="' + (T + 4) + '" text-anchor="end">' + max + '</text><text x="' + (L - 6) + '" y="' + (H - B) + '" text-anchor="end">0</text>';
    svg += '<text x="' + (W / 2) + '" y="' + (H - 8) + '" text-anchor="middle">seed (red: a property violated)</text>';
    svg += '<text x="14" y="' + (H / 2) + '" transform="rotate(-90 14 ' + H / 2 + ')" text-anchor="middle">' + name.replace(/[<&]/g, "") + "</text>";
    rows.forEach(function (r, i) {
      if (values[i] === null) return;
      svg += '<circle cx="' + x(i).toFixed(1) + '" cy="' + y(values[i]).toFixed(1) + '" r="4" fill="' + (r.verdict === "violation" ? "#D60000" : "#1F77B4") + '"><title>seed ' + r.seed + ": " + values[i] + " (" + r.verdict + ")</title></circle>";
    });
    out.insertAdjacentHTML("beforeend", svg + "</svg>");
  }

  // For the console and the browser test: `await ioa.call("run", [toml, seed, layer, from, until])`.
  window.ioa = { call: call, stop: stop };

  document.querySelectorAll("details.ioa-example").forEach(example);
  document.querySelectorAll("#ioa-playground").forEach(playground);
})();
