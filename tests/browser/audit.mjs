// Audit pages of a served site in Debian's Chromium: axe-core violations, requests to
// other hosts, failed requests, script errors, and screenshots at desktop and phone widths.
//
//   node audit.mjs '{"base": "http://127.0.0.1:PORT", "screenshots": "DIR",
//                    "pages": {"home": "/", "briefing": "/briefings/x/"}}'
//
// Prints one JSON object on stdout: {"pages": {TYPE: {views: [...]}}}. Each view is one load
// of the page (desktop light, phone light, desktop dark) with what was found in it.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const CHROMIUM = "/usr/bin/chromium";
// Debian's Chromium as root, in a closed network: no sandbox, no background connections.
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const VIEWS = [
  { name: "desktop", width: 1280, height: 900, scheme: "light", screenshot: true },
  { name: "phone", width: 390, height: 844, scheme: "light", screenshot: true },
  { name: "desktop-dark", width: 1280, height: 900, scheme: "dark", screenshot: false },
];
const LOAD_DEADLINE_MS = 30000;
const CONCURRENT_PAGES = 2;

function isOffHost(url, host) {
  const parsed = new URL(url);
  if (parsed.protocol === "data:" || parsed.protocol === "blob:") return false;
  return parsed.hostname !== host;
}

// Each view gets a context of its own, so no stored palette or cache leaks between loads.
async function auditView(browser, spec, type, path, view) {
  const host = new URL(spec.base).hostname;
  const context = await browser.newContext({
    viewport: { width: view.width, height: view.height }, colorScheme: view.scheme,
  });
  // Nothing may leave the machine: a request to another host is recorded, then refused
  // at once instead of waiting on a closed network.
  await context.route("**/*", (route) =>
    isOffHost(route.request().url(), host) ? route.abort("blockedbyclient") : route.continue());
  const page = await context.newPage();
  const found = { view: view.name, scheme: view.scheme, offHost: [], failed: [], scriptErrors: [] };
  page.on("request", (request) => {
    if (isOffHost(request.url(), host)) found.offHost.push(request.url());
  });
  page.on("requestfailed", (request) => {
    if (!isOffHost(request.url(), host)) {
      found.failed.push({ url: request.url(), error: request.failure()?.errorText ?? "" });
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !isOffHost(response.url(), host)) {
      found.failed.push({ url: response.url(), error: `HTTP ${response.status()}` });
    }
  });
  page.on("pageerror", (error) => found.scriptErrors.push(String(error)));
  const response = await page.goto(spec.base + path, { waitUntil: "networkidle",
    timeout: LOAD_DEADLINE_MS });
  found.status = response ? response.status() : null;
  // The page's own status is reported apart: the 404 page is meant to answer 404.
  found.failed = found.failed.filter((f) => f.url !== response?.url());
  found.schemeShown = await page.evaluate(() => document.body.dataset.mdColorScheme ?? null);
  // What a reader cannot see without scrolling sideways: boxes of the briefing's tables and
  // sources that reach past the screen's edge, or that hide part of their content.
  found.cutOff = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const cut = [];
    for (const part of document.querySelectorAll(".sitrep-stack, .sitrep-sources")) {
      for (const box of [part, ...part.querySelectorAll("*")]) {
        if (box.closest("thead")?.getBoundingClientRect().width <= 1) continue;  // for screen readers
        const rect = box.getBoundingClientRect();
        const hides = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
        if ((rect.width && (rect.right > width + 1 || rect.left < -1)) || hides) {
          cut.push(`${box.tagName.toLowerCase()}.${box.className} ${box.textContent.slice(0, 60)}`);
        }
      }
    }
    return { cut, parts: document.querySelectorAll(".sitrep-stack, .sitrep-sources").length,
      pageWidth: document.documentElement.scrollWidth, width };
  });
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  found.violations = results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300),
      why: (n.failureSummary ?? "").slice(0, 400) })),
  }));
  if (view.screenshot) {
    found.screenshot = join(spec.screenshots, `${type}-${view.name}.png`);
    // Finished transitions: Material fades its tabs back in after the full-page resize.
    await page.screenshot({ path: found.screenshot, fullPage: true, animations: "disabled" });
  }
  await context.close();
  return found;
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  mkdirSync(spec.screenshots, { recursive: true });
  // Playwright starts the browser on a new, empty user-data-dir and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: ARGS, timeout: LOAD_DEADLINE_MS,
  });
  const report = { pages: {} };
  const queue = Object.entries(spec.pages);
  // A few pages at a time: most of a load is waiting for the network to fall idle.
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [type, path] = next;
      const views = [];
      for (const view of VIEWS) views.push(await auditView(browser, spec, type, path, view));
      report.pages[type] = { path, views };
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENT_PAGES }, worker));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

await main();
