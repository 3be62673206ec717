// What a reader sees of the situation picture in Debian's Chromium: the home page with its
// overview map, a region page with its locator map, the timeline's filter at work, and the
// judgments page's bands, at each width asked for.
//
//   node situation.mjs '{"base": "http://127.0.0.1:PORT", "widths": [1280, 390],
//                        "home": "/", "region": "/regions/x/", "month": "/timeline/2024/12/",
//                        "actor": "ukraine", "judgments": "/judgments/", "band": "Very unlikely"}'
//
// Prints one JSON object: {WIDTH: {home, region, timeline, judgments}}, plus "noScript": the
// month page with JavaScript off. Each part says what the page showed: see tests/test_browser.py.
import { chromium } from "playwright-core";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DEADLINE_MS = 30000;

async function open(browser, spec, width, path, script = true) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: script });
  const host = new URL(spec.base).hostname;
  const errors = [];
  const offHost = [];
  await context.route("**/*", (route) => {
    if (new URL(route.request().url()).hostname !== host) {
      offHost.push(route.request().url());
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(spec.base + path, { waitUntil: "networkidle", timeout: DEADLINE_MS });
  return { context, page, errors, offHost };
}

// The maps of a page: their accessible parts, their links and whether they fit the screen.
async function maps(page) {
  return page.$$eval("svg.sitrep-map", (svgs) => svgs.map((svg) => {
    const box = svg.getBoundingClientRect();
    return {
      kind: svg.classList.contains("sitrep-overview") ? "overview" : "locator",
      title: svg.querySelector("title")?.textContent ?? "",
      desc: svg.querySelector("desc")?.textContent ?? "",
      links: [...svg.querySelectorAll("a")].map((a) => new URL(a.getAttribute("href"), location.href).pathname),
      marks: svg.querySelectorAll("circle").length,
      width: box.width, height: box.height, right: box.right,
      land: getComputedStyle(svg.querySelector(".sitrep-map-land")).fill,
      alternative: svg.closest("figure")?.querySelector("figcaption")?.textContent.trim() ?? "",
    };
  }));
}

async function layout(page) {
  return page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth, width: window.innerWidth,
    h1: document.querySelector("h1")?.firstChild?.textContent.trim(),
    railShown: (() => {
      const rail = document.querySelector(".md-sidebar--primary");
      return Boolean(rail) && getComputedStyle(rail).display !== "none" && !rail.hidden;
    })(),
  }));
}

const visible = (page) => page.$$eval("li[data-filter]", (items) =>
  items.filter((item) => item.offsetParent !== null).map((item) => item.querySelector("a").textContent));

async function timeline(browser, spec, width) {
  const { context, page, errors, offHost } = await open(browser, spec, width, spec.month);
  const all = await visible(page);
  const formShown = await page.isVisible("form.sitrep-filter");
  await page.selectOption("form.sitrep-filter select[name=actor]", spec.actor);
  const narrowed = await visible(page);
  const said = await page.textContent("form.sitrep-filter output");
  const address = new URL(page.url()).search;
  const onward = await page.$$eval(".sitrep-months a", (links) => links.map((a) => new URL(a.href).search));
  const tokens = await page.$$eval("li[data-filter]", (items) => items.filter((item) => item.offsetParent !== null)
    .map((item) => item.dataset.filter));
  await page.click("form.sitrep-filter button");
  const cleared = await visible(page);
  const clearedAddress = new URL(page.url()).search;
  const fit = await layout(page);
  await context.close();
  const linked = await open(browser, spec, width, `${spec.month}?actor=${spec.actor}`);
  const fromLink = await visible(linked.page);
  const chosen = await linked.page.inputValue("form.sitrep-filter select[name=actor]");
  await linked.context.close();
  return { all, formShown, narrowed, said, address, onward, tokens, cleared, clearedAddress, fromLink, chosen,
    layout: fit, errors: [...errors, ...linked.errors], offHost: [...offHost, ...linked.offHost] };
}

async function judgments(browser, spec, width) {
  const { context, page, errors } = await open(browser, spec, width, spec.judgments);
  const before = await page.$$eval("td[data-label=Likelihood] strong", (cells) => cells.map((c) => c.textContent));
  await Promise.all([page.waitForURL((url) => url.pathname !== spec.judgments, { timeout: DEADLINE_MS }),
    page.click(`nav.sitrep-bands a:text-is("${spec.band}")`)]);
  const after = await page.$$eval("td[data-label=Likelihood] strong", (cells) => cells.map((c) => c.textContent));
  const current = await page.$$eval("nav.sitrep-bands a[aria-current=page]", (links) => links.map((a) => a.textContent));
  const result = { before, url: new URL(page.url()).pathname, after, current, layout: await layout(page), errors };
  await context.close();
  return result;
}

async function withMaps(browser, spec, width, path) {
  const { context, page, errors, offHost } = await open(browser, spec, width, path);
  const result = { maps: await maps(page), layout: await layout(page), errors, offHost, drawer: null };
  if (await page.isVisible("label.md-header__button[for=__drawer]")) {  // a phone: the menu
    await page.click("label.md-header__button[for=__drawer]");
    await page.waitForFunction(() => [...document.querySelectorAll(".md-sidebar--primary a")]
      .some((a) => a.offsetParent !== null && a.textContent.trim() === "Briefings"), null, { timeout: DEADLINE_MS });
    result.drawer = await page.$$eval(".md-sidebar--primary a", (links) => links
      .filter((a) => a.offsetParent !== null).map((a) => a.textContent.trim()));
  }
  await context.close();
  return result;
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
    args: ARGS, timeout: DEADLINE_MS });
  const report = {};
  try {
    for (const width of spec.widths) {
      report[width] = {
        home: await withMaps(browser, spec, width, spec.home),
        region: await withMaps(browser, spec, width, spec.region),
        timeline: await timeline(browser, spec, width),
        judgments: await judgments(browser, spec, width),
      };
    }
    const { context, page } = await open(browser, spec, spec.widths[0], spec.month, false);
    report.noScript = { shown: await visible(page), formShown: await page.isVisible("form.sitrep-filter") };
    await context.close();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

await main();
