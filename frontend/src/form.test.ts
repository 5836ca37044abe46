import { describe, expect, it } from 'vitest';
import { buildRecommendParams, initialFormState } from './form';

describe('buildRecommendParams', () => {
  it('sends only the user id for the default form', () => {
    expect(buildRecommendParams(initialFormState())).toEqual({ user_id: 'u1' });
  });

  it('sends the query untrimmed, but only when it has content', () => {
    const form = initialFormState();
    expect(buildRecommendParams({ ...form, query: '   ' }).query).toBeUndefined();
    expect(buildRecommendParams({ ...form, query: ' space ' }).query).toBe(' space ');
  });

  it('sends the switches only when they are off', () => {
    const params = buildRecommendParams({ ...initialFormState(), diversify: false, useLlmIntent: false });
    expect(params.diversify).toBe(false);
    expect(params.use_llm_intent).toBe(false);
  });

  it('trims the text overrides and the profile', () => {
    const params = buildRecommendParams({
      ...initialFormState(),
      profile: ' kids ',
      annDescription: ' a heist ',
      rewriteText: ' heist films ',
      genreOverride: ' Crime ',
    });
    expect(params).toMatchObject({
      profile: 'kids',
      ann_description_override: 'a heist',
      rewrite_override: 'heist films',
      genre_override: 'Crime',
    });
  });

  it('sends an override weight only when it moved from its default', () => {
    const form = initialFormState();
    const unchanged = buildRecommendParams({ ...form, annWeight: 1.2000001, rewriteWeight: 1 });
    expect(unchanged.ann_weight_override).toBeUndefined();
    expect(unchanged.rewrite_weight_override).toBeUndefined();
    const changed = buildRecommendParams({ ...form, annWeight: 0.3, rewriteWeight: 2 });
    expect(changed.ann_weight_override).toBe(0.3);
    expect(changed.rewrite_weight_override).toBe(2);
  });

  it('sends all eight mixer weights only when customising', () => {
    const form = initialFormState();
    expect(buildRecommendParams(form).mixer_ann_weight).toBeUndefined();
    expect(buildRecommendParams({ ...form, customizeMixer: true })).toEqual({
      user_id: 'u1',
      mixer_ann_weight: 0.5,
      mixer_collab_weight: 2,
      mixer_trending_weight: 0.2,
      mixer_popularity_weight: 0.1,
      mixer_novelty_weight: 0.1,
      mixer_vote_weight: 0.1,
      mixer_lexical_weight: 0.2,
      mixer_rating_weight: 0,
    });
  });
});
