import { useMemo } from 'react';
import { useStore } from 'zustand';
import { UPlotChart } from '../../common/ui/UPlotChart';
import { useServices } from '../services';
import { liveChartColumns } from './live-chart-data';

export function LiveCharts() {
  const { live } = useServices();
  const trials = useStore(live, (s) => s.trials);
  const [x, success, movementTime, sparc] = useMemo(() => liveChartColumns(trials), [trials]);
  return (
    <section className="card charts" aria-labelledby="live-charts-title">
      <h2 id="live-charts-title">This session</h2>
      {x.length === 0 && <p className="muted">Charts appear with the first trial.</p>}
      <UPlotChart
        title="Success rate, last 10 trials (%)"
        data={[x, success!]}
        series={[{ label: 'Success %', stroke: '#2f6f9f' }]}
        time={false}
        xLabel="Trial"
        yLabel="%"
        yRange={[0, 100]}
        width={420}
        height={150}
      />
      <UPlotChart
        title="Movement time (s)"
        data={[x, movementTime!]}
        series={[{ label: 'Movement time s', stroke: '#d9822b' }]}
        time={false}
        xLabel="Trial"
        yLabel="s"
        width={420}
        height={150}
      />
      <UPlotChart
        title="Smoothness (SPARC, closer to 0 is smoother)"
        data={[x, sparc!]}
        series={[{ label: 'SPARC', stroke: '#4c9a5f' }]}
        time={false}
        xLabel="Trial"
        yLabel="SPARC"
        width={420}
        height={150}
      />
    </section>
  );
}
