import { TREND_ARROWS, trendDirection } from './trend';

interface Props {
  label: string;
  values: readonly (number | null)[];
  /** true when a rising value is good (success), false when falling is (movement time) */
  higherIsBetter: boolean;
}

export function TrendArrow({ label, values, higherIsBetter }: Props) {
  const direction = trendDirection(values);
  if (direction === null) return <span className="muted">–</span>;
  const good =
    direction === 'steady' ? 'neutral' : (direction === 'up') === higherIsBetter ? 'good' : 'bad';
  const words = direction === 'steady' ? 'steady' : direction === 'up' ? 'rising' : 'falling';
  return (
    <span className={`trend trend-${good}`} title={`${label} ${words}`}>
      <span aria-hidden="true">{TREND_ARROWS[direction]}</span>
      <span className="sr-only">
        {label} {words}
      </span>
    </span>
  );
}
