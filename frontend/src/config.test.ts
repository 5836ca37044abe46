import { describe, expect, it } from 'vitest';
import { resolveApiBase } from './config';

describe('resolveApiBase', () => {
  it('defaults to the same origin', () => {
    expect(resolveApiBase('', undefined)).toBe('');
  });

  it('treats a blank env value as unset', () => {
    expect(resolveApiBase('', '   ')).toBe('');
  });

  it('uses the env value without trailing slashes', () => {
    expect(resolveApiBase('', 'http://h:8000//')).toBe('http://h:8000');
  });

  it('prefers the ?api= page parameter', () => {
    expect(resolveApiBase('?api=http%3A%2F%2Fq%3A1%2F', 'http://h:8000')).toBe('http://q:1');
  });
});
