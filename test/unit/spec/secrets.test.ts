// Which values are secrets, and how they are hidden.
import { describe, expect, it } from 'vitest';
import { isSecretKey, redactSpec, sealSpec, scrub } from '../../../src/spec/secrets.js';

describe('secrets', () => {
  it.each([
    ['API_TOKEN', true],
    ['github_token', true],
    ['DB_PASSWORD', true],
    ['CLIENT_SECRET', true],
    ['SSH_KEY', true],
    ['KEYBOARD', true],
    ['LOG_LEVEL', false],
    ['HOME', false],
  ])('%s is secret: %s', (k, want) => expect(isSecretKey(k)).toBe(want));

  it('redacts and seals env values of secret keys only', () => {
    const spec = { command: ['x'], env: { API_TOKEN: 'tok-1', LOG_LEVEL: 'info' } };
    expect(redactSpec(spec).env).toEqual({ API_TOKEN: '<redacted>', LOG_LEVEL: 'info' });
    const sealed = sealSpec(spec).env as Record<string, string>;
    expect(sealed.API_TOKEN).toMatch(/^<secret sha256:[0-9a-f]{16}>$/);
    expect(sealed.API_TOKEN).not.toContain('tok-1');
    expect((sealSpec({ env: { API_TOKEN: 'tok-1' } }).env as Record<string, string>).API_TOKEN).toBe(sealed.API_TOKEN);
    expect((sealSpec({ env: { API_TOKEN: 'tok-2' } }).env as Record<string, string>).API_TOKEN).not.toBe(sealed.API_TOKEN);
  });

  it('scrubs secret values out of text', () => {
    expect(scrub('token is hunter22 and hunter22', ['hunter22'])).toBe('token is <redacted> and <redacted>');
  });
});
