// sitrep's search worker for Material's search box (see sitrep/search.py).
//
// Material runs the worker named in its configuration and talks to it in four messages:
// SETUP (the content of search/search_index.json), READY, QUERY (the text in the box) and
// RESULT (the results, each a page and its matching sections, shown as Material shows
// them). This one answers from the site's Pagefind index, loaded on the first query: its
// shards are listed in search_index.json, the first one's pagefind.js is the search API.
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const SHOWN = 20;  // results given to the box, best first: their fragments are fetched
const SECTIONS = 3;  // matching sections shown under a page's result

let shards = [];
let loading = null;  // the Pagefind API, once its shards are merged
let latest = 0;  // the number of the newest query: older ones are dropped

function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function pagefind() {
  if (!loading) {
    loading = (async () => {
      const [first, ...others] = shards;
      const api = await import(`${first}pagefind.js`);
      await api.options({ basePath: first, excerptLength: 24 });
      await api.init();
      for (const other of others) await api.mergeIndex(other);
      return api;
    })();
  }
  return loading;
}

// A Pagefind result as Material's: the page, then its sections that matched. Pagefind's
// excerpts are escaped (with <mark> around the words found); titles are escaped here.
function item(result, data) {
  const date = data.meta.date ? `<time>${escapeHtml(data.meta.date)}</time> · ` : "";
  const page = { location: data.url, title: escapeHtml(data.meta.title || data.url),
                 text: date + data.excerpt, score: result.score, terms: {} };
  const sections = data.sub_results.filter((sub) => sub.url.includes("#")).slice(0, SECTIONS)
    .map((sub) => ({ location: sub.url, title: escapeHtml(sub.title), text: sub.excerpt,
                     score: result.score, terms: {} }));
  return [page, ...sections];
}

async function search(query, number) {
  if (!query.trim() || !shards.length) return [];
  const api = await pagefind();
  const found = await api.search(query);
  if (number !== latest || !found) return null;
  const best = found.results.slice(0, SHOWN);
  const data = await Promise.all(best.map((result) => result.data()));
  return best.map((result, at) => item(result, data[at]));
}

self.addEventListener("message", async ({ data: message }) => {
  if (message.type === SETUP) {
    shards = message.data.config?.sitrep?.shards ?? [];
    // paths from the site's root, which is two folders above this file
    shards = shards.map((shard) => new URL(`../../${shard}`, self.location.href).pathname);
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const number = ++latest;
    let items;
    try {
      items = await search(message.data, number);
    } catch (error) {
      console.error("sitrep search:", error);
      items = [];
    }
    if (items !== null && number === latest) self.postMessage({ type: RESULT, data: { items } });
  }
});
