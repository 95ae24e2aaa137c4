// Charts as plain SVG (no library): horizontal bars with their numbers written out, so the chart is readable
// without colour and by a screen reader (role=img with a label, plus a table fallback in the caller).

import { s } from "../dom.js";

const ROW = 30;
const LABEL = 190;
const WIDTH = 640;

/** rows: [{label, value, note?}]; the longest bar is `max` (default: the largest value). */
export function barChart(rows, { title, max } = {}) {
  const top = Math.max(1, max ?? Math.max(0, ...rows.map((r) => r.value)));
  const room = WIDTH - LABEL - 120;
  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${rows.length * ROW + 10}`, role: "img", "aria-label": title, class: "chart",
    preserveAspectRatio: "xMinYMin meet",
  }, s("title", {}, title));
  rows.forEach((r, i) => {
    const y = i * ROW + 5;
    const w = Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / top) * room));
    svg.append(
      s("text", { x: LABEL - 8, y: y + 19, "text-anchor": "end", class: "chart-label" }, r.label),
      s("rect", { x: LABEL, y: y + 4, width: room, height: ROW - 10, class: "chart-track", rx: 3 }),
      s("rect", { x: LABEL, y: y + 4, width: w, height: ROW - 10, class: "chart-bar", rx: 3 }),
      s("text", { x: LABEL + room + 8, y: y + 19, class: "chart-value" }, r.note ?? String(r.value)));
  });
  return svg;
}

/** One province of a wave: selected of quota as a bar, joined as a thinner bar beneath. */
export function quotaChart(provinces, title) {
  const rows = provinces.map((p) => ({
    label: p.provinceName ?? p.provinceCode,
    value: p.selected,
    note: `${p.selected}/${p.quota} (${p.joined})`,
  }));
  return barChart(rows, { title, max: Math.max(1, ...provinces.map((p) => p.quota)) });
}
