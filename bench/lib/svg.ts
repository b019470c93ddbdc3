/** A dependency-free SVG of time-to-match distributions: empirical CDFs on a log time axis. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly samples: readonly number[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function timeToMatchSvg(series: readonly Series[], title: string): string {
  const W = 760;
  const H = 420;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = series.flatMap((s) => s.samples).filter((x) => x > 0);
  const lo = 1;
  const hi = Math.max(10, ...all);
  const lx = (ms: number) => m.l + (pw * (Math.log10(Math.max(lo, ms)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const ly = (q: number) => m.t + ph * (1 - q);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (let d = 0; d <= Math.ceil(Math.log10(hi)); d++) {
    for (const k of [1, 2, 5]) {
      const v = k * 10 ** d;
      if (v < lo || v > hi) continue;
      const x = lx(v).toFixed(1);
      parts.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="#eee"/>`);
      parts.push(`<text x="${x}" y="${m.t + ph + 16}" text-anchor="middle">${v >= 1000 ? `${v / 1000}s` : `${v}`}</text>`);
    }
  }
  for (const q of [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    const y = ly(q).toFixed(1);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${q}</text>`);
  }
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 10}" text-anchor="middle">time to match (ms, log scale)</text>`);
  parts.push(`<text x="14" y="${m.t + ph / 2}" transform="rotate(-90 14 ${m.t + ph / 2})" text-anchor="middle">share matched</text>`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  series.forEach((s, i) => {
    const xs = [...s.samples].sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(xs.length / 800));
    const pts: string[] = [];
    for (let k = 0; k < xs.length; k += step) pts.push(`${lx(xs[k]!).toFixed(1)},${ly((k + 1) / xs.length).toFixed(1)}`);
    if (xs.length) pts.push(`${lx(xs.at(-1)!).toFixed(1)},${ly(1).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const ly0 = m.t + 14 + i * 18;
    parts.push(`<line x1="${m.l + 12}" y1="${ly0}" x2="${m.l + 36}" y2="${ly0}" stroke="${s.color}" stroke-width="3"/>`);
    parts.push(`<text x="${m.l + 42}" y="${ly0}" dominant-baseline="middle">${esc(s.name)} (n=${xs.length})</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
