import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ItemDebug } from '../types';
import { WhyThisTitle } from './WhyThisTitle';

const trace: ItemDebug = {
  components: { ann: 0.4, collab: 0.2, trending: 0, popularity: 0.1, votes: 0.05, novelty: 0.01, lexical: 0.3, rating: 0.1 },
  retrieval_score: 0.765,
  rules: ['maturity +0.1', 'recent release boost'],
  mmr_from: 7,
  serendipity: true,
  unverified: ['runtime unknown'],
};

describe('WhyThisTitle', () => {
  it('scales component bars to the largest contribution', () => {
    render(<WhyThisTitle trace={trace} />);
    const fill = (key: string) =>
      (screen.getByTestId(`component-${key}`).querySelector('.bar-fill') as HTMLElement).style.width;
    expect(fill('ann')).toBe('100%');
    expect(fill('collab')).toBe('50%');
    expect(fill('trending')).toBe('0%');
    expect(screen.getByTestId('component-votes')).toHaveTextContent('0.050');
    expect(fill('lexical')).toBe('75%');
  });

  it('lists rules, the MMR move, serendipity and unverified reasons', () => {
    render(<WhyThisTitle trace={trace} />);
    const body = screen.getByTestId('why-this-title');
    expect(body).toHaveTextContent('Retrieval score: 0.765');
    expect(body).toHaveTextContent('recent release boost');
    expect(body).toHaveTextContent('MMR moved this title from rank 7.');
    expect(body).toHaveTextContent('Serendipity pick');
    expect(body).toHaveTextContent('runtime unknown');
  });

  it('omits MMR and serendipity notes when they did not apply', () => {
    render(<WhyThisTitle trace={{ ...trace, mmr_from: null, serendipity: false, rules: [], unverified: [] }} />);
    const body = screen.getByTestId('why-this-title');
    expect(body).not.toHaveTextContent('MMR');
    expect(body).not.toHaveTextContent('Serendipity');
    expect(body).not.toHaveTextContent('Rules applied');
  });
});
