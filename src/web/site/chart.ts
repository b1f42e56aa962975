/**
 * The count of political prisoners over time as an SVG drawn on the server (d3-scale and d3-shape make
 * the scales and the path; no script runs in the browser). Deals and mass-arrest months are marked and
 * numbered; the caller lists them in words beside the chart, and a table holds the same figures.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, line } from 'd3-shape';
import { html, type Html } from './html.js';
import { formatNumber, type Lang } from './i18n.js';

export interface ChartPoint {
  /** YYYY-MM-DD */
  date: string;
  value: number;
}

export interface ChartMark {
  date: string;
  kind: 'deal' | 'arrests';
  /** Shown at the mark: a number the legend explains. */
  label: string;
}

const WIDTH = 720;
const HEIGHT = 300;
const M = { top: 24, right: 12, bottom: 28, left: 48 };

const utc = (day: string) => new Date(`${day.length === 7 ? `${day}-01` : day}T00:00:00Z`);

export function countChart(lang: Lang, points: readonly ChartPoint[], marks: readonly ChartMark[], title: string, description: string): Html {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return html``;
  const x = scaleUtc().domain([utc(first.date), utc(last.date)]).range([M.left, WIDTH - M.right]);
  const max = Math.max(10, ...points.map((p) => p.value));
  const y = scaleLinear().domain([0, max * 1.08]).nice().range([HEIGHT - M.bottom, M.top]);
  const path = line<ChartPoint>().x((p) => x(utc(p.date))).y((p) => y(p.value))(points as ChartPoint[]) ?? '';
  const fill = area<ChartPoint>().x((p) => x(utc(p.date))).y0(y(0)).y1((p) => y(p.value))(points as ChartPoint[]) ?? '';
  const round = (n: number) => Math.round(n * 10) / 10;
  const yTicks = y.ticks(5).map((tick) => html`<line class="grid" x1="${M.left}" x2="${WIDTH - M.right}" y1="${round(y(tick))}" y2="${round(y(tick))}"/><text x="${M.left - 6}" y="${round(y(tick)) + 4}" text-anchor="end">${formatNumber(lang, tick)}</text>`);
  const years: Html[] = [];
  for (let year = utc(first.date).getUTCFullYear(); year <= utc(last.date).getUTCFullYear(); year++) {
    const at = x(new Date(Date.UTC(year, 0, 1)));
    if (at < M.left || at > WIDTH - M.right) continue;
    years.push(html`<line class="axis" x1="${round(at)}" x2="${round(at)}" y1="${HEIGHT - M.bottom}" y2="${HEIGHT - M.bottom + 5}"/><text x="${round(at)}" y="${HEIGHT - 8}" text-anchor="middle">${year}</text>`);
  }
  const markup = marks.map((mark) => {
    const at = round(x(utc(mark.date)));
    return mark.kind === 'deal'
      ? html`<line class="deal" x1="${at}" x2="${at}" y1="${M.top - 4}" y2="${HEIGHT - M.bottom}"/><text x="${at}" y="${M.top - 8}" text-anchor="middle">${mark.label}</text>`
      : html`<path class="arrests" d="M${at - 5},${HEIGHT - M.bottom - 1}L${at + 5},${HEIGHT - M.bottom - 1}L${at},${HEIGHT - M.bottom - 10}Z"/><text x="${at}" y="${HEIGHT - M.bottom - 13}" text-anchor="middle">${mark.label}</text>`;
  });
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" class="chart" focusable="false">
<title id="chart-title">${title}</title><desc id="chart-desc">${description}</desc>
${yTicks}
<path class="area" d="${fill}"/><path class="line" d="${path}"/>
<line class="axis" x1="${M.left}" x2="${WIDTH - M.right}" y1="${HEIGHT - M.bottom}" y2="${HEIGHT - M.bottom}"/>
${years}${markup}
</svg>`;
}
