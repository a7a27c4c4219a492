// The book's examples run in the reader's browser: opens the built book from disk in headless
// Chromium, edits an example (removes the second crash from the non-uniform eager broadcast
// scenario), clicks Run and finds the verdict change from violation to hold with a diagram of
// three lanes; compares the page's JSON reports with `ioa run --json` for bundled scenarios and
// seeds; sweeps seeds in the playground. Prints (does not assert) load and run times.
//
// usage: node web/tests/browser/book.mjs IOA_BINARY BOOK_BUILD_DIR
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [ioa, book] = process.argv.slice(2);
const page_ = (name) => pathToFileURL(resolve(book, name)).href;
function check(ok, what) {
  if (!ok) {
    console.error("FAILED: " + what);
    process.exitCode = 1;
  }
  return ok;
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // 1. The chapter 6 example: as shipped a violation; without the second crash, a hold.
  let t = performance.now();
  await page.goto(page_("ch06-broadcast.html"));
  const example = page.locator("details.ioa-example").filter({ has: page.locator("textarea") }).first();
  await example.locator("summary").click();
  const textarea = example.locator("textarea");
  const toml = await textarea.inputValue();
  check(toml.includes("eager-reliable-broadcast"), "the first chapter 6 example is the eager broadcast scenario");
  await example.locator("button.ioa-run").click();
  const out = example.locator(".ioa-output[data-verdict]");
  await out.waitFor({ timeout: 60000 });
  const loadAndFirstRun = performance.now() - t;
  check((await out.getAttribute("data-verdict")) === "violation", "as shipped, uniform agreement is violated");
  const cut = toml.indexOf("[[faults]]\ncrash = 1");
  const end = toml.indexOf("\n\n", cut);
  await textarea.fill(toml.slice(0, cut) + toml.slice(end + 2));
  t = performance.now();
  await example.locator("button.ioa-run").click();
  await page.waitForFunction((el) => el.querySelector(".ioa-output").dataset.verdict === "hold", await example.elementHandle(), { timeout: 60000 });
  const secondRun = performance.now() - t;
  const svg = await example.locator(".ioa-diagram svg").innerHTML();
  check(["p0", "p1", "p2"].every((p) => svg.includes(">\n" + p + "\n</text>") || svg.includes(">" + p + "</text>")), "the diagram has lanes p0, p1 and p2");
  check(!svg.includes("p3"), "and no fourth lane");

  // 2. The page's reports are ioa's, byte for byte.
  const cases = [
    ["scenarios/broadcast/eager-rb-not-uniform.toml", "1"],
    ["scenarios/links/perfect-links.toml", "2"],
    ["scenarios/consensus/paxos-accepting-lower.toml", "3"],
  ];
  for (const [file, seed] of cases) {
    const text = readFileSync(file, "utf8");
    const inPage = await page.evaluate(
      async ([text, seed]) => (await window.ioa.call("run", [text, seed, "", "", ""])).answer.output.report,
      [text, seed]
    );
    const native = spawnSync(ioa, ["run", file, "--seed", seed, "--json"]).stdout.toString();
    check(native === inPage + "\n", `${file} seed ${seed}: the page's JSON equals ioa run --json`);
  }

  // 3. The playground: a bundled scenario over ten seeds, plotted.
  await page.goto(page_("playground.html"));
  await page.waitForFunction(() => document.querySelectorAll("select.ioa-pick option").length > 100, null, { timeout: 60000 });
  await page.selectOption("select.ioa-pick", "broadcast/eager-rb-not-uniform.toml");
  await page.fill("#ioa-playground label:has-text('seeds') input", "10");
  await page.click("#ioa-playground button.ioa-run");
  await page.waitForSelector("#ioa-playground svg.ioa-sweep", { timeout: 60000 });
  const points = await page.locator("#ioa-playground svg.ioa-sweep circle").count();
  check(points === 10, `the playground plots one point a seed (${points})`);
  check(errors.length === 0, "no script errors: " + errors.join("; "));
  console.log(
    `browser: ch06 page load + first run ${loadAndFirstRun.toFixed(0)} ms, an edited run ${secondRun.toFixed(0)} ms; ` +
      `${cases.length} reports compared with ioa; playground ${points} seeds`
  );
} finally {
  await browser.close();
}
