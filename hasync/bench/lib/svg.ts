/** A tiny hand-written SVG line chart: enough for latency distributions and scaling curves. */

/** One line of a chart. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Logarithmic x axis (for device counts). */
  readonly logX?: boolean;
  /** Tick labels by x value, for category-like axes (percentiles); default: the x values. */
  readonly xTickLabels?: ReadonlyMap<number, string>;
}

const W = 640;
const H = 360;
const PAD = { left: 64, right: 160, top: 36, bottom: 48 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * mag >= value) return step * mag;
  return 10 * mag;
}

/** Renders the chart as a standalone SVG document. */
export function lineChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points);
  const xs = all.map((p) => (spec.logX ? Math.log10(p[0]) : p[0]));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs) === xMin ? xMin + 1 : Math.max(...xs);
  const yMax = niceMax(Math.max(...all.map((p) => p[1])));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const sx = (x: number) =>
    PAD.left + (((spec.logX ? Math.log10(x) : x) - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => PAD.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - PAD.right / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(spec.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${sy(y) + 4}" text-anchor="end">${+y.toPrecision(3)}</text>`,
    );
  }
  const ticks = [...new Set(all.map((p) => p[0]))].sort((a, b) => a - b);
  for (const x of ticks.length <= 12 ? ticks : []) {
    const label = escapeXml(spec.xTickLabels?.get(x) ?? String(x));
    parts.push(
      `<text x="${sx(x)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${label}</text>`,
    );
  }
  parts.push(
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#333"/>`,
    `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#333"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${H - 10}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const d = s.points
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of s.points.length <= 12 ? s.points : []) {
      parts.push(`<circle cx="${sx(p[0])}" cy="${sy(p[1])}" r="3" fill="${color}"/>`);
    }
    const ly = PAD.top + 10 + i * 18;
    parts.push(
      `<rect x="${W - PAD.right + 12}" y="${ly - 8}" width="12" height="4" fill="${color}"/>`,
      `<text x="${W - PAD.right + 30}" y="${ly - 2}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>\n');
  return parts.join('\n');
}
