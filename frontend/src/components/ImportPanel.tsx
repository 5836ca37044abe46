/**
 * Import history: upload a Letterboxd, IMDb or Trakt export for the form's user (and profile)
 * and show what the server made of it, including every title that matched nothing and why.
 */
import { useState } from 'react';
import { importHistory } from '../api';
import type { ImportFormat, ImportSummary } from '../types';

const FORMATS: { value: ImportFormat; label: string; hint: string }[] = [
  { value: 'letterboxd', label: 'Letterboxd', hint: 'the export zip, or one of its CSVs' },
  { value: 'imdb', label: 'IMDb', hint: 'ratings.csv (or the watchlist CSV)' },
  { value: 'trakt', label: 'Trakt', hint: 'the data-export zip, or one of its JSON files' },
];

export interface ImportPanelProps {
  /** Whose history the export becomes. */
  userId: string;
  /** Optional profile of that user. */
  profile: string;
  /** Called after an import that wrote something (the page may refresh its list). */
  onImported?: (summary: ImportSummary) => void;
}

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record).map(([k, v]) => `${v} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

export function ImportPanel({ userId, profile, onImported }: ImportPanelProps) {
  const [format, setFormat] = useState<ImportFormat>('letterboxd');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setSummary(null);
    try {
      const result = await importHistory(format, userId, profile, file, file.name);
      setSummary(result);
      if (result.written > 0) onImported?.(result);
    } catch (err) {
      setError(`Import failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const hint = FORMATS.find((f) => f.value === format)?.hint ?? '';
  return (
    <section className="panel import-panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import history</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="import-format">From</label>
          <select
            id="import-format"
            value={format}
            data-testid="import-format-select"
            onChange={(e) => setFormat(e.target.value as ImportFormat)}
          >
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="import-file">File ({hint})</label>
          <input
            id="import-file"
            type="file"
            accept=".zip,.csv,.json"
            data-testid="import-file-input"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <button type="button" disabled={!file || busy || !userId.trim()} data-testid="import-submit" onClick={submit}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error && (
        <p className="status error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {summary && (
        <div className="import-summary" data-testid="import-summary" role="status">
          <p>
            Imported for <strong>{summary.user_id}</strong>: read {summary.rows_read} rows ({summary.titles} titles),
            matched <span data-testid="import-matched">{summary.matched}</span>, already present{' '}
            {summary.already_present}, written <span data-testid="import-written">{summary.written}</span> (
            {counts(summary.events)}).
          </p>
          {Object.keys(summary.skipped).length > 0 && <p>Skipped: {counts(summary.skipped)}.</p>}
          {summary.unmatched.length > 0 && (
            <>
              <p>
                Not matched: <span data-testid="import-unmatched-count">{summary.unmatched.length}</span>
              </p>
              <ul className="unmatched" data-testid="import-unmatched">
                {summary.unmatched.map((u) => (
                  <li key={`${u.row}-${u.title}`}>
                    <strong>
                      {u.title}
                      {u.year ? ` (${u.year})` : ''}
                    </strong>{' '}
                    <span className="muted">{u.row}</span>: {u.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
