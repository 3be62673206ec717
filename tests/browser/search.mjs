// Search a served site in Debian's Chromium as a reader does: open a page, type in the
// header's search box, wait for the results; record their links and what was fetched.
//
//   node search.mjs '{"base": "http://127.0.0.1:PORT", "page": "/", "queries": ["Austin"],
//                     "keyboard": "Austin", "scheme": "dark"}'
//
// Each query runs in a new browser context (an empty cache: a reader's first search). Prints
// one JSON object: {"queries": {QUERY: {results: [{href, title, text}], meta, html, fetched:
// [{url, bytes}], loaded: [{url, bytes}], offHost, scriptErrors, dialogs, violations}},
// "keyboard": {...}}. `html` is the result list's markup, as the page holds it.
// `fetched` is every response from the first key press until the results show; `loaded`,
// the search's files fetched while the page loaded (Material fetches search_index.json then).
// With "keyboard", the reader presses "/", types it, goes down to the first result with the
// arrow key and presses Enter: "keyboard" says where the browser went. With "bare": PAGE,
// each query opens PAGE?q=QUERY instead, a page that asks the worker as Material does and
// sets window.searchResults (see tests/test_search.py); `fetched` is then all it loaded.
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DEADLINE_MS = 30000;
const RESULTS = ".md-search-result__list > li";

async function newPage(browser, spec) {
  const host = new URL(spec.base).hostname;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    colorScheme: spec.scheme ?? "light" });
  const found = { offHost: [], scriptErrors: [], responses: [], dialogs: [] };
  await context.route("**/*", (route) => {
    if (new URL(route.request().url()).hostname !== host) {
      found.offHost.push(route.request().url());
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  // Responses of the page and of its workers (Material's search worker fetches the index).
  context.on("response", (response) => found.responses.push(response));
  const page = await context.newPage();
  page.on("pageerror", (error) => found.scriptErrors.push(String(error)));
  page.on("dialog", (dialog) => {
    found.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on("console", (message) => {
    if (message.type() === "error") found.scriptErrors.push(message.text());
  });
  return { context, page, found };
}

async function sized(responses) {
  const out = [];
  for (const response of responses) {
    const sizes = await response.request().sizes().catch(() => null);
    out.push({ url: response.url(), status: response.status(),
      bytes: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0 });
  }
  return out;
}

async function search(browser, spec, query) {
  const { context, page, found } = await newPage(browser, spec);
  await page.goto(spec.base + spec.page, { waitUntil: "networkidle", timeout: DEADLINE_MS });
  const loaded = found.responses.splice(0);
  await page.click("input.md-search__input");
  await page.locator("input.md-search__input").pressSequentially(query, { delay: 20 });
  await page.waitForFunction(
    () => /\d|No matching/.test(document.querySelector(".md-search-result__meta")?.textContent ?? ""),
    null, { timeout: DEADLINE_MS });
  await page.waitForLoadState("networkidle");
  const fetched = found.responses.splice(0);
  const results = await page.$$eval(`${RESULTS} > a`, (links) => links.map((link) => ({
    href: link.href, title: link.querySelector("h1, h2")?.textContent ?? "",
    text: link.querySelector("article")?.textContent ?? "" })));
  const meta = await page.textContent(".md-search-result__meta");
  const html = await page.innerHTML(".md-search-result__list");
  await page.addScriptTag({ path: AXE });
  const axe = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) }));
  const report = { results, meta, html, fetched: await sized(fetched), loaded: await sized(loaded),
    offHost: found.offHost, scriptErrors: found.scriptErrors, dialogs: found.dialogs, violations };
  await context.close();
  return report;
}

// A page that talks to the search worker as Material's search box does (SETUP with
// search_index.json, then QUERY), without the rest of the site: for an index made alone.
async function bare(browser, spec, query) {
  const { context, page, found } = await newPage(browser, spec);
  await page.goto(`${spec.base}${spec.bare}?q=${encodeURIComponent(query)}`, { timeout: DEADLINE_MS });
  await page.waitForFunction(() => window.searchResults, null, { timeout: DEADLINE_MS });
  await page.waitForLoadState("networkidle");
  const results = await page.evaluate(() => window.searchResults.map((item) => ({
    href: item[0].location, title: item[0].title, text: item[0].text })));
  const report = { results, fetched: await sized(found.responses.splice(0)), loaded: [],
    offHost: found.offHost, scriptErrors: found.scriptErrors, violations: [] };
  await context.close();
  return report;
}

async function keyboard(browser, spec, query) {
  const { context, page, found } = await newPage(browser, spec);
  await page.goto(spec.base + spec.page, { waitUntil: "networkidle", timeout: DEADLINE_MS });
  await page.keyboard.press("/");
  await page.keyboard.type(query, { delay: 20 });
  await page.waitForSelector(RESULTS, { timeout: DEADLINE_MS });
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("href") ?? null);
  await Promise.all([page.waitForURL((url) => url.href !== spec.base + spec.page,
    { timeout: DEADLINE_MS }), page.keyboard.press("Enter")]);
  const report = { focused, url: page.url(), scriptErrors: found.scriptErrors };
  await context.close();
  return report;
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
    args: ARGS, timeout: DEADLINE_MS });
  const report = { queries: {} };
  try {
    for (const query of spec.queries ?? []) {
      report.queries[query] = await (spec.bare ? bare : search)(browser, spec, query);
    }
    if (spec.keyboard) report.keyboard = await keyboard(browser, spec, spec.keyboard);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

await main();
