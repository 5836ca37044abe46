import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportSummary } from '../types';
import { ImportPanel } from './ImportPanel';

const summary: ImportSummary = {
  format: 'letterboxd',
  user_id: 'u1::kids',
  files: ['ratings.csv', 'watched.csv'],
  rows_read: 12,
  skipped: {},
  titles: 4,
  matched: 3,
  already_present: 0,
  written: 3,
  events: { liked: 2, watched: 1 },
  unmatched: [
    { row: 'watched.csv:5', title: 'Emma', year: 1996, reason: 'ambiguous: Emma (1996, movie, id 7), Emma (1996, movie, id 9)' },
  ],
};

/** A fetch stand-in that keeps the FormData it was sent. */
function stubFetch(status: number, body: unknown) {
  const sent: { url: string; method?: string; form?: FormData }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: String(input), method: init?.method, form: init?.body as FormData });
      return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return sent;
}

function chooseFile(name: string) {
  const file = new File(['Date,Name,Year,Letterboxd URI,Rating\n'], name, { type: 'text/csv' });
  fireEvent.change(screen.getByTestId('import-file-input'), { target: { files: [file] } });
}

afterEach(() => vi.unstubAllGlobals());

describe('ImportPanel', () => {
  it('uploads the file with the format, user and profile, and shows the summary', async () => {
    const sent = stubFetch(200, summary);
    const onImported = vi.fn();
    render(<ImportPanel userId="u1" profile="kids" onImported={onImported} />);
    expect(screen.getByTestId('import-submit')).toBeDisabled();
    chooseFile('ratings.csv');
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-submit'));
    });
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe('/user/import');
    expect(sent[0].method).toBe('POST');
    expect(sent[0].form?.get('format')).toBe('letterboxd');
    expect(sent[0].form?.get('user_id')).toBe('u1');
    expect(sent[0].form?.get('profile')).toBe('kids');
    expect((sent[0].form?.get('file') as File).name).toBe('ratings.csv');
    expect(await screen.findByTestId('import-summary')).toHaveTextContent('matched 3');
    expect(screen.getByTestId('import-summary')).toHaveTextContent('2 liked, 1 watched');
    expect(screen.getByTestId('import-unmatched')).toHaveTextContent('Emma (1996) watched.csv:5: ambiguous');
    expect(onImported).toHaveBeenCalledWith(summary);
  });

  it('sends the chosen format', async () => {
    const sent = stubFetch(200, { ...summary, format: 'imdb', written: 0, unmatched: [] });
    render(<ImportPanel userId="u1" profile="" />);
    fireEvent.change(screen.getByTestId('import-format-select'), { target: { value: 'imdb' } });
    chooseFile('ratings.csv');
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-submit'));
    });
    expect(sent[0].form?.get('format')).toBe('imdb');
    expect(sent[0].form?.has('profile')).toBe(false);
    expect(screen.queryByTestId('import-unmatched')).toBeNull();
  });

  it('shows the server’s reason when the file is refused', async () => {
    stubFetch(422, {
      detail: [{ type: 'missing_columns', loc: ['body', 'file'], msg: 'ratings.csv is missing the column(s) ["Const"]' }],
    });
    render(<ImportPanel userId="u1" profile="" />);
    chooseFile('ratings.csv');
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-submit'));
    });
    expect(await screen.findByTestId('import-error')).toHaveTextContent('missing the column(s)');
    expect(screen.queryByTestId('import-summary')).toBeNull();
  });
});
