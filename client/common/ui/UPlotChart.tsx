import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

export interface SeriesSpec {
  label: string;
  stroke: string;
  /** scale name, for series with different units on one chart */
  scale?: string;
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
}: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    if (host.current === null) return;
    const options: uPlot.Options = {
      title,
      width,
      height,
      scales: { x: { time }, y: yRange ? { range: yRange } : {} },
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
    if (xs.length === 1) {
      const pad = time ? 86_400 : 1;
      chart.setScale('x', { min: xs[0]! - pad, max: xs[0]! + pad });
    }
  }, [data, time]);

  const points = data[0].length;
  return (
    <figure className="chart">
      <div ref={host} role="img" aria-label={`${title}: ${points} points`} />
    </figure>
  );
}
