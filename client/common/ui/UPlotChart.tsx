import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

export interface SeriesSpec {
  label: string;
  stroke: string;
  /** scale name, for series with different units on one chart */
  scale?: string;
}

/** A vertical dashed line at x (same unit as the x axis), e.g. a change of the level's bounds. */
export interface ChartMark {
  x: number;
  label: string;
}

interface Props {
  title: string;
  data: uPlot.AlignedData;
  series: readonly SeriesSpec[];
  /** true: x is Unix seconds; false: x is a count (trial number) */
  time: boolean;
  xLabel: string;
  yLabel: string;
  /** fixed y range, e.g. [0, 100] for a percentage; automatic when absent */
  yRange?: [number, number];
  width?: number;
  height?: number;
  /** fixed x range, so charts of one page share their time axis */
  xRange?: [number, number];
  /** vertical marks, drawn dashed and named in the caption */
  marks?: readonly ChartMark[];
  /** a sentence under the chart saying how to read it */
  note?: string;
}

/** Draws the marks as dashed vertical lines over the plot area. */
function marksPlugin(marks: { current: readonly ChartMark[] }): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = '#8a5a00';
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        for (const m of marks.current) {
          const x = u.valToPos(m.x, 'x', true);
          if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

/**
 * A uPlot chart: created once, fed new data without being rebuilt. The title and a caption
 * describe it for screen readers, which cannot read the canvas.
 */
export function UPlotChart({
  title,
  data,
  series,
  time,
  xLabel,
  yLabel,
  yRange,
  width = 460,
  height = 200,
  xRange,
  marks = [],
  note,
}: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [xMin, xMax] = xRange ?? [];
  const currentMarks = useRef<readonly ChartMark[]>(marks);
  currentMarks.current = marks;

  useEffect(() => {
    if (host.current === null) return;
    const options: uPlot.Options = {
      title,
      width,
      height,
      scales: {
        x: xRange ? { time, range: xRange } : { time },
        y: yRange ? { range: yRange } : {},
      },
      plugins: [marksPlugin(currentMarks)],
      // Counts (trial numbers) get whole-number ticks only.
      axes: [time ? { label: xLabel } : { label: xLabel, incrs: WHOLE_STEPS }, { label: yLabel }],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: 2,
          spanGaps: true,
          points: { show: true },
        })),
      ],
    };
    plot.current = new uPlot(options, [[]], host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart's shape is fixed for its lifetime; data changes go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const chart = plot.current;
    if (chart === null) return;
    chart.setData(data);
    // A single point would otherwise stretch the x axis over years (time) or to odd fractions.
    const xs = data[0];
    if (xMin !== undefined && xMax !== undefined) chart.setScale('x', { min: xMin, max: xMax });
    else if (xs.length === 1) {
      const pad = time ? 86_400 : 1;
      chart.setScale('x', { min: xs[0]! - pad, max: xs[0]! + pad });
    }
  }, [data, time, xMin, xMax]);

  const points = data[0].length;
  return (
    <figure className="chart">
      <div ref={host} role="img" aria-label={`${title}: ${points} points`} />
      {(note !== undefined || marks.length > 0) && (
        <figcaption className="chart-note">
          {note}
          {marks.length > 0 && (
            <span className="chart-marks">
              {' '}
              Dashed lines: {marks.map((m) => m.label).join('; ')}.
            </span>
          )}
        </figcaption>
      )}
    </figure>
  );
}
