interface Props {
  label: string;
  value: number;
  onChange(value: number): void;
  min: number;
  max: number;
  step: number;
  unit?: string;
  name?: string;
  /** for inputs whose table row and column already say what they are */
  hideLabel?: boolean;
}

/** A labelled number input that reports NaN for an empty field, so validation catches it. */
export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  unit,
  name,
  hideLabel,
}: Props) {
  return (
    <label className="number-field">
      <span className={hideLabel ? 'sr-only' : undefined}>
        {label}
        {unit ? ` (${unit})` : ''}
      </span>
      <input
        type="number"
        name={name}
        value={Number.isFinite(value) ? value : ''}
        min={min}
        max={max}
        step={step}
        onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
      />
    </label>
  );
}
