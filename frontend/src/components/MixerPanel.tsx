/** The "Hybrid / Mixer Weights" panel: six sliders, 0–2 in steps of 0.05. */
import { MIXER_KEYS, MIXER_SLIDERS, type MixerKey } from '../form';
import { RangeSlider } from './RangeSlider';

export interface MixerPanelProps {
  weights: Record<MixerKey, number>;
  onChange: (key: MixerKey, value: number) => void;
}

export function MixerPanel({ weights, onChange }: MixerPanelProps) {
  return (
    <section className="panel" data-testid="mixer-panel" aria-labelledby="mixer-heading">
      <h2 id="mixer-heading">Hybrid / Mixer Weights</h2>
      <p className="help">
        Adjust how ANN, collaborative, trending, popularity, novelty, vote, lexical and rating signals influence ranking.
      </p>
      <div className="mixer-grid">
        {MIXER_KEYS.map((key) => (
          <RangeSlider
            key={key}
            name={key}
            label={MIXER_SLIDERS[key].label}
            value={weights[key]}
            max={MIXER_SLIDERS[key].max}
            step={0.05}
            onChange={(value) => onChange(key, value)}
          />
        ))}
      </div>
    </section>
  );
}
