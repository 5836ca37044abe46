/** The search form: who is asking, what for, and every knob the pipeline exposes. */
import type { FormEvent } from 'react';
import type { FormState, MixerKey } from '../form';
import { MixerPanel } from './MixerPanel';
import { RangeSlider } from './RangeSlider';
import { Switch } from './Switch';

export interface SearchFormProps {
  form: FormState;
  loading: boolean;
  onChange: (patch: Partial<FormState>) => void;
  onSubmit: () => void;
}

export function SearchForm({ form, loading, onChange, onSubmit }: SearchFormProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const setMixer = (key: MixerKey, value: number) =>
    onChange({ mixer: { ...form.mixer, [key]: value } });

  return (
    <form className="panel search-form" onSubmit={submit} aria-label="Recommendation request">
      <div className="row">
        <div className="field">
          <label htmlFor="user-id">User ID</label>
          <input
            id="user-id"
            type="text"
            placeholder="e.g., u1"
            value={form.userId}
            data-testid="user-id-input"
            onChange={(e) => onChange({ userId: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="profile">Profile (optional)</label>
          <input
            id="profile"
            type="text"
            placeholder="e.g., kids"
            value={form.profile}
            data-testid="profile-input"
            onChange={(e) => onChange({ profile: e.target.value })}
          />
        </div>
      </div>

      <div className="field">
        <label htmlFor="query">Query</label>
        <input
          id="query"
          type="text"
          placeholder="What kind of movie or show are you looking for?"
          value={form.query}
          data-testid="query-input"
          onChange={(e) => onChange({ query: e.target.value })}
        />
        <small className="help">
          Try: &quot;sci-fi movies like Inception&quot; or &quot;comedy shows like The Office&quot;
        </small>
      </div>

      <div className="switches">
        <Switch
          id="diversify"
          label="Enable diversity boosts"
          checked={form.diversify}
          testId="switch-diversify"
          onChange={(diversify) => onChange({ diversify })}
        />
        <Switch
          id="use-llm-intent"
          label="Use LLM intent parser"
          checked={form.useLlmIntent}
          testId="switch-use-llm-intent"
          onChange={(useLlmIntent) => onChange({ useLlmIntent })}
        />
        <Switch
          id="customize-mixer"
          label="Customize mixer weights"
          checked={form.customizeMixer}
          testId="switch-customize-mixer"
          onChange={(customizeMixer) => onChange({ customizeMixer })}
        />
        <Switch
          id="show-debug"
          label="Show pipeline debug"
          checked={form.showDebug}
          testId="debug-toggle"
          onChange={(showDebug) => onChange({ showDebug })}
        />
      </div>
      <small className="help">Neighbor weight is controlled by MIXER_COLLAB_WEIGHT (default 0.3).</small>

      {form.customizeMixer && <MixerPanel weights={form.mixer} onChange={setMixer} />}

      <details className="overrides">
        <summary>Retrieval overrides</summary>
        <div className="field">
          <label htmlFor="ann-description">Manual ANN Description</label>
          <textarea
            id="ann-description"
            rows={2}
            placeholder="Optional override e.g. 'A deadly survival game for a cash prize'"
            value={form.annDescription}
            data-testid="ann-description-input"
            onChange={(e) => onChange({ annDescription: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="rewrite-text">Manual Rewrite Text</label>
          <input
            id="rewrite-text"
            type="text"
            placeholder="Optional override e.g. 'sci-fi survival games'"
            value={form.rewriteText}
            data-testid="rewrite-input"
            onChange={(e) => onChange({ rewriteText: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="genre-override">Genre Override</label>
          <input
            id="genre-override"
            type="text"
            placeholder="e.g., Drama, Sci-Fi"
            value={form.genreOverride}
            data-testid="genre-override-input"
            onChange={(e) => onChange({ genreOverride: e.target.value })}
          />
          <small className="help">When set, replaces inferred genres with this comma-separated list.</small>
        </div>
        <div className="row">
          <RangeSlider
            name="ann_weight_override"
            label="ANN Description Weight"
            value={form.annWeight}
            step={0.1}
            onChange={(annWeight) => onChange({ annWeight })}
          />
          <RangeSlider
            name="rewrite_weight_override"
            label="Rewrite Text Weight"
            value={form.rewriteWeight}
            step={0.1}
            onChange={(rewriteWeight) => onChange({ rewriteWeight })}
          />
        </div>
      </details>

      <button type="submit" className="btn btn-primary" disabled={loading} data-testid="submit-button">
        {loading ? (
          <>
            <span className="spinner" aria-hidden="true" /> Loading...
          </>
        ) : (
          'Get Recommendations'
        )}
      </button>
    </form>
  );
}
