/** A labelled range input whose label shows the current value with two decimals. */
export interface RangeSliderProps {
  /** Parameter name; also gives the `slider-<name>` test id. */
  name: string;
  label: string;
  value: number;
  min?: number;
  max?: number;
  step: number;
  onChange: (value: number) => void;
}

export function RangeSlider({ name, label, value, min = 0, max = 2, step, onChange }: RangeSliderProps) {
  const id = `range-${name}`;
  return (
    <div className="field range-field">
      <label htmlFor={id}>
        {label} <span className="range-value">({value.toFixed(2)})</span>
      </label>
      <input
        id={id}
        name={name}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        data-testid={`slider-${name}`}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </div>
  );
}
