import { logFormat } from './logger.js';

describe('log format', () => {
  it('is pretty for a person at a terminal outside production, JSON otherwise', () => {
    expect(logFormat({ isProduction: false }, true)).toBe('pretty');
    expect(logFormat({ isProduction: false }, false)).toBe('json');
    expect(logFormat({ isProduction: true }, true)).toBe('json');
    expect(logFormat({ isProduction: true }, false)).toBe('json');
  });
});
