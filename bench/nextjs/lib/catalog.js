// The same 100 items bench/apps/list100/lib/catalog.py builds per request.
const TAGS = ["new", "sale", "eco", "bulk", "gift", "limited"];

export function makeItems(page, count = 100) {
  const start = (page - 1) * count;
  const items = [];
  for (let n = start; n < start + count; n++) {
    items.push({
      id: n,
      name: n % 10 === 0 ? `Item ${n} <b>"special"</b> & more` : `Item number ${n}`,
      price: Math.round((n * 1.37 + 0.99) * 100) / 100,
      tags: n % 3 ? [TAGS[n % 6], TAGS[(n * 7) % 6]] : [TAGS[n % 6]],
    });
  }
  return items;
}

export function number(raw, fallback, maximum = 10000) {
  return typeof raw === "string" && /^\d+$/.test(raw) && +raw > 0 && +raw <= maximum ? +raw : fallback;
}
