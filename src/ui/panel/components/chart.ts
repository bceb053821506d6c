// A chart drawn by uPlot: the only place that knows the library. Pages hand over the x values and
// the series; time axes are in Moscow time whatever the viewer's computer says. The same figures
// are always in a table next to the chart (the table is what screen readers and tests read).
import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { t } from '../i18n';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

export interface ChartProps {
  title: string;
  /** Unix seconds of each point when `time`, else plain numbers (hours of the day). */
  x: number[];
  time: boolean;
  series: ChartSeries[];
  /** Bars instead of lines: side by side, for at most two series. */
  bars?: boolean;
  /** How the y axis writes a value (e.g. a share as percent). */
  yValue?: (v: number) => string;
  /** Counts: whole-number ticks only. */
  counts?: boolean;
  /** How the x axis names a point (a bucket's date); with few points each point gets its tick. */
  xLabel?: (x: number) => string;
  testId?: string;
}

const HEIGHT = 220;
const TZ = 'Europe/Moscow';
/** Up to this many points, each has its own tick and label. */
const LABELLED_POINTS = 31;
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

const pad = (n: number) => String(n).padStart(2, '0');
/** A time tick as Russians write it, in Moscow time: `05.12`, `05.12 14:00`, `12.2026`. */
function timeTick(ts: number, step: number): string {
  const d = uPlot.tzDate(new Date(ts * 1000), TZ);
  const day = `${pad(d.getDate())}.${pad(d.getMonth() + 1)}`;
  if (step >= 28 * 86_400) return `${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
  return step < 86_400 ? `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}` : day;
}

function options(p: ChartProps, width: number): uPlot.Options {
  const bar = (i: number) => uPlot.paths.bars!({ size: [p.series.length > 1 ? 0.4 : 0.7, 40], align: p.series.length > 1 ? (i === 0 ? -1 : 1) : 0 });
  const labelled = p.xLabel && p.x.length <= LABELLED_POINTS;
  const xAxis: uPlot.Axis = p.time
    ? { values: (_u, splits, _i, _space, step) => splits.map((v) => (labelled ? p.xLabel!(v) : timeTick(v, step))), ...(labelled ? { splits: () => p.x } : {}) }
    : {};
  return {
    width,
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), TZ),
    scales: { x: { time: p.time }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
    axes: [xAxis, { values: (_u, vals) => vals.map((v) => (p.yValue ? p.yValue(v) : String(v))), ...(p.counts ? { incrs: WHOLE } : {}) }],
    series: [
      {},
      ...p.series.map((s, i) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        ...(p.bars ? { fill: s.color, paths: bar(i), points: { show: false } } : { points: { show: p.x.length <= 60 } }),
      })),
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

export function Chart(p: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  // Redrawn when the figures or their words change, not on every render of the page.
  const drawn = JSON.stringify([p.x, p.series, p.title]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [p.x, ...p.series.map((s) => s.values)];
    const plot = new uPlot(options(p, Math.max(280, el.clientWidth)), data, el);
    // Follows the page's width (a narrower window, the pop-up column opening).
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [drawn]);
  return h('div', { class: 'chart', ref: box, role: 'img', 'aria-label': t('rep_chart', { title: p.title }), 'data-testid': p.testId });
}
