// sitrep: narrow a list of briefings by actor, region and tag without leaving the page.
// The page lists every briefing (li[data-filter="actor:x region:y tag:z"]) and holds a hidden
// form.sitrep-filter; with this script the form shows and its choices hide the briefings
// that do not match all of them. The choices stay in the address (?actor=x&region=y), so a
// link to a month with ?actor=x opens it narrowed, and the links to other months and pages
// of the list keep them.
(() => {
  const form = document.querySelector("form.sitrep-filter");
  if (!form) return;
  const items = [...document.querySelectorAll("li[data-filter]")];
  const selects = [...form.querySelectorAll("select")];
  const clear = form.querySelector("button");
  const output = form.querySelector("output");
  const onward = () => document.querySelectorAll(".sitrep-months a, .sitrep-pager a, .sitrep-months-grid a");
  const apply = () => {
    const wanted = selects.filter((s) => s.value).map((s) => `${s.name}:${s.value}`);
    let shown = 0;
    for (const item of items) {
      const tokens = item.dataset.filter.split(" ");
      item.hidden = !wanted.every((w) => tokens.includes(w));
      if (!item.hidden) shown += 1;
    }
    output.textContent = wanted.length ? `${shown} of ${items.length} briefings shown` : "";
    clear.disabled = !wanted.length;
    const query = new URLSearchParams();
    for (const s of selects) if (s.value) query.set(s.name, s.value);
    const search = wanted.length ? `?${query}` : "";
    history.replaceState(history.state, "", location.pathname + search + location.hash);
    for (const a of onward()) a.search = search;
  };
  const asked = new URLSearchParams(location.search);
  for (const s of selects) {
    const value = asked.get(s.name);
    if (!value) continue;
    if (![...s.options].some((o) => o.value === value)) s.add(new Option(`${value} (none on this page)`, value));
    s.value = value;
  }
  form.addEventListener("change", apply);
  clear.addEventListener("click", () => {
    for (const s of selects) s.value = "";
    apply();
  });
  form.hidden = false;
  apply();
})();
