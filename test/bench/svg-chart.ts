/**
 * A cumulative distribution chart as a standalone SVG string: no dependencies, no network, fonts
 * left to the viewer. Each series is a step line (fraction of samples ≤ x) with its median marked.
 */

export interface CdfSeries {
  label: string;
  /** Sample values in the x-axis unit. */
  values: readonly number[];
  color: string;
}

export interface CdfChartOptions {
  title: string;
  xLabel: string;
  series: readonly CdfSeries[];
  /** Logarithmic x axis (for series whose scales differ by orders of magnitude). */
  logX?: boolean;
  width?: number;
  height?: number;
}

const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A "nice" tick step (1, 2 or 5 × 10^n) giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

const format = (value: number): string =>
  Number.isInteger(value)
    ? String(value)
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : Math.abs(value) >= 10
        ? value.toFixed(1)
        : value.toFixed(2);

/** Renders the chart. */
export function cdfChartSvg(options: CdfChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const legendHeight = options.series.length * 18 + 8;
  const margin = { top: 48, right: 24, bottom: 56 + legendHeight, left: 64 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const all = options.series.flatMap((series) => series.values).filter((value) => value > 0);
  const maxValue = all.length === 0 ? 1 : Math.max(...all);
  let x: (value: number) => number;
  let ticks: number[];
  if (options.logX === true) {
    const low = 10 ** Math.floor(Math.log10(Math.min(...all, maxValue)));
    const high = 10 ** Math.ceil(Math.log10(maxValue * 1.02));
    const span = Math.log10(high) - Math.log10(low);
    x = (value: number) =>
      margin.left + ((Math.log10(Math.max(value, low)) - Math.log10(low)) / span) * plotWidth;
    ticks = [];
    for (let decade = low; decade < high * 1.01; decade *= 10) {
      for (const factor of [1, 2, 5]) if (decade * factor <= high * 1.01) ticks.push(decade * factor);
    }
  } else {
    const step = tickStep(maxValue, 8);
    const xMax = Math.max(step, Math.ceil((maxValue * 1.02) / step) * step);
    x = (value: number) => margin.left + (value / xMax) * plotWidth;
    ticks = [];
    for (let value = 0; value <= xMax + step / 2; value += step) ticks.push(value);
  }
  const y = (fraction: number) => margin.top + (1 - fraction) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
  );
  // Grid and axes.
  for (const value of ticks) {
    parts.push(
      `<line x1="${x(value).toFixed(1)}" y1="${margin.top}" x2="${x(value).toFixed(1)}" y2="${margin.top + plotHeight}" stroke="#e5e5e5"/>`,
      `<text x="${x(value).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle" fill="#333">${format(value)}</text>`,
    );
  }
  for (let fraction = 0; fraction <= 1.0001; fraction += 0.25) {
    parts.push(
      `<line x1="${margin.left}" y1="${y(fraction).toFixed(1)}" x2="${margin.left + plotWidth}" y2="${y(fraction).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${(y(fraction) + 4).toFixed(1)}" text-anchor="end" fill="#333">${Math.round(fraction * 100)} %</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${margin.top + plotHeight + 38}" text-anchor="middle" fill="#333">${escapeXml(options.xLabel)}${options.logX === true ? ' (logarithmic)' : ''}</text>`,
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#333">submissions published (cumulative)</text>`,
  );
  // Series.
  options.series.forEach((series, index) => {
    const sorted = [...series.values].sort((a, b) => a - b);
    if (sorted.length === 0) return;
    let path = `M ${x(sorted[0] as number).toFixed(1)} ${y(0).toFixed(1)}`;
    for (let rank = 0; rank < sorted.length; rank += 1) {
      path += ` V ${y((rank + 1) / sorted.length).toFixed(1)}`;
      const nextValue = sorted[rank + 1];
      if (nextValue !== undefined) path += ` H ${x(nextValue).toFixed(1)}`;
    }
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    for (const [rank, value] of sorted.entries()) {
      parts.push(
        `<circle cx="${x(value).toFixed(1)}" cy="${y((rank + 1) / sorted.length).toFixed(1)}" r="2.5" fill="${series.color}"/>`,
      );
    }
    const middle = sorted[Math.floor((sorted.length - 1) / 2)] as number;
    const medianValue =
      sorted.length % 2 === 1 ? middle : (middle + (sorted[sorted.length / 2] as number)) / 2;
    parts.push(
      `<line x1="${x(medianValue).toFixed(1)}" y1="${y(0.5).toFixed(1)}" x2="${x(medianValue).toFixed(1)}" y2="${(margin.top + plotHeight).toFixed(1)}" stroke="${series.color}" stroke-dasharray="4 3"/>`,
    );
    const legendY = margin.top + plotHeight + 62 + index * 18;
    parts.push(
      `<rect x="${margin.left}" y="${legendY - 9}" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${margin.left + 18}" y="${legendY + 1}" fill="#111">${escapeXml(
        `${series.label} (n = ${sorted.length}, median ${format(medianValue)})`,
      )}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
