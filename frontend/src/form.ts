/**
 * The search form's state and its translation to `/recommend` parameters. The rules match the
 * original UI (§6.2 of the spec): switches are sent only when off, overrides only when
 * non-blank, override weights only when moved, mixer weights only when customised.
 */
import type { RecommendParams } from './types';

/** Mixer weight parameters, in the order the panel shows them. */
export const MIXER_KEYS = [
  'mixer_ann_weight',
  'mixer_collab_weight',
  'mixer_trending_weight',
  'mixer_popularity_weight',
  'mixer_novelty_weight',
  'mixer_vote_weight',
  'mixer_lexical_weight',
  'mixer_rating_weight',
] as const;

/** One mixer weight parameter name. */
export type MixerKey = (typeof MIXER_KEYS)[number];

/** Label and default of each mixer slider (range 0–2 unless `max` says, step 0.05). */
export const MIXER_SLIDERS: Record<MixerKey, { label: string; initial: number; max?: number }> = {
  mixer_ann_weight: { label: 'ANN', initial: 0.5 },
  mixer_collab_weight: { label: 'Collab (taste model)', initial: 2.0, max: 4 },
  mixer_trending_weight: { label: 'Trending', initial: 0.2 },
  mixer_popularity_weight: { label: 'Popularity', initial: 0.1 },
  mixer_novelty_weight: { label: 'Novelty', initial: 0.1 },
  mixer_vote_weight: { label: 'Vote Count', initial: 0.1 },
  mixer_lexical_weight: { label: 'Lexical (query words)', initial: 0.2 },
  mixer_rating_weight: { label: 'Rating (weighted)', initial: 0 },
};

/** Defaults of the two rewrite-vector weight sliders; moving one away sends it. */
export const DEFAULT_ANN_WEIGHT = 1.2;
/** See {@link DEFAULT_ANN_WEIGHT}. */
export const DEFAULT_REWRITE_WEIGHT = 1.0;

/** Everything the search form holds. */
export interface FormState {
  userId: string;
  profile: string;
  query: string;
  diversify: boolean;
  useLlmIntent: boolean;
  customizeMixer: boolean;
  mixer: Record<MixerKey, number>;
  annDescription: string;
  rewriteText: string;
  genreOverride: string;
  annWeight: number;
  rewriteWeight: number;
  showDebug: boolean;
}

/** The form as the page opens. */
export function initialFormState(): FormState {
  const mixer = {} as Record<MixerKey, number>;
  for (const key of MIXER_KEYS) mixer[key] = MIXER_SLIDERS[key].initial;
  return {
    userId: 'u1',
    profile: '',
    query: '',
    diversify: true,
    useLlmIntent: true,
    customizeMixer: false,
    mixer,
    annDescription: '',
    rewriteText: '',
    genreOverride: '',
    annWeight: DEFAULT_ANN_WEIGHT,
    rewriteWeight: DEFAULT_REWRITE_WEIGHT,
    showDebug: false,
  };
}

/** A weight counts as moved when it is more than 0.001 away from its default (slider noise). */
function moved(value: number, initial: number): boolean {
  return Math.abs(value - initial) > 0.001;
}

/** Translates the form into request parameters (first page: no cursor). */
export function buildRecommendParams(form: FormState): RecommendParams {
  const params: RecommendParams = { user_id: form.userId };
  const profile = form.profile.trim();
  if (profile) params.profile = profile;
  // The query goes out untrimmed, as the original sent it, but only if it has content.
  if (form.query.trim()) params.query = form.query;
  if (!form.diversify) params.diversify = false;
  if (!form.useLlmIntent) params.use_llm_intent = false;
  const ann = form.annDescription.trim();
  if (ann) params.ann_description_override = ann;
  const rewrite = form.rewriteText.trim();
  if (rewrite) params.rewrite_override = rewrite;
  const genres = form.genreOverride.trim();
  if (genres) params.genre_override = genres;
  if (moved(form.annWeight, DEFAULT_ANN_WEIGHT)) params.ann_weight_override = form.annWeight;
  if (moved(form.rewriteWeight, DEFAULT_REWRITE_WEIGHT)) {
    params.rewrite_weight_override = form.rewriteWeight;
  }
  if (form.customizeMixer) {
    for (const key of MIXER_KEYS) params[key] = form.mixer[key];
  }
  return params;
}
