// Open pages of a served site in Debian's Chromium and report anything a smuggled script did.
//
//   node xss.mjs '{"base": "http://127.0.0.1:PORT", "pages": ["/", "/briefings/x/"]}'
//
// Prints one JSON object on stdout: {"pages": {PATH: {...}}}. For each page: its status, every
// dialog (recorded, then dismissed), every console message, every request to /xss-hit/ or to
// another host, script errors, and what is left in the DOM that would run on a click or a
// hover: attributes named on*, and href/src/action-like attributes with a javascript:,
// vbscript: or data: URL. One browser, one page at a time.
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
// Debian's Chromium as root, in a closed network: no sandbox, no background connections.
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LOAD_DEADLINE_MS = 15000;

function scanDom() {
  const urlAttributes = new Set(["href", "src", "action", "formaction", "data", "srcdoc",
    "xlink:href", "poster", "background", "values", "to"]);
  const found = [];
  const roots = [document];
  for (const root of roots) {
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) roots.push(element.shadowRoot);
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        const value = attribute.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
        const dangerous = name.startsWith("on")
          || name === "srcdoc"
          || (urlAttributes.has(name) && /^(javascript|vbscript|data):/.test(value));
        if (dangerous) {
          found.push(`<${element.tagName.toLowerCase()} ${attribute.name}="${attribute.value.slice(0, 120)}">`);
        }
      }
    }
  }
  return found;
}

// Let handlers queued by the load (onerror, onfocus, animations) run, two frames, then scan
// the DOM. A payload that navigated the page (a meta refresh) destroys the context: wait for
// the new page's load and scan that; the navigation itself shows in finalUrl.
async function settleAndScan(page) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await page.evaluate(() => new Promise((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(resolve))));
      return await page.evaluate(scanDom);
    } catch (error) {
      if (attempt >= 2 || !String(error).includes("Execution context was destroyed")) throw error;
      await page.waitForLoadState("load", { timeout: LOAD_DEADLINE_MS });
    }
  }
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const host = new URL(spec.base).host;
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: ARGS, timeout: LOAD_DEADLINE_MS,
  });
  const report = { pages: {} };
  try {
    const context = await browser.newContext();
    let current = null;
    // Every request of the context (workers too): one to /xss-hit/ is a payload that ran;
    // one to another host is refused at once and recorded.
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      const local = url.protocol === "data:" || url.protocol === "blob:" || url.host === host;
      return local ? route.continue() : route.abort("blockedbyclient");
    });
    context.on("request", (request) => {
      if (!current) return;
      const url = new URL(request.url());
      if (url.pathname.includes("/xss-hit/")) current.hits.push(request.url());
      else if (!["data:", "blob:"].includes(url.protocol) && url.host !== host) {
        current.offHost.push(request.url());
      }
    });
    const page = await context.newPage();
    page.on("dialog", async (dialog) => {
      current?.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss().catch(() => {});
    });
    page.on("console", (message) => current?.console.push(message.text()));
    page.on("pageerror", (error) => current?.errors.push(String(error)));
    page.on("popup", (popup) => current?.popups.push(popup.url()));
    for (const path of spec.pages) {
      current = { dialogs: [], console: [], hits: [], offHost: [], errors: [], popups: [] };
      report.pages[path] = current;
      const response = await page.goto(spec.base + path, { waitUntil: "load",
        timeout: LOAD_DEADLINE_MS });
      current.status = response ? response.status() : null;
      current.dangerous = await settleAndScan(page);
      current.finalUrl = page.url();
    }
    current = null;
    await context.close();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

await main();
