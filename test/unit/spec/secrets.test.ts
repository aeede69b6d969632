// Scrubbing secret values out of text that will be stored or shown: whole, and no fragment left behind.
import { describe, expect, it } from 'vitest';
import { REDACTED, scrubSecrets, sealSpec, sealValue, secretValues } from '../../../src/spec/secrets.js';

describe('scrubSecrets', () => {
  it.each([
    { case: 'a plain value', text: 'hc s3cr3t', secrets: ['s3cr3t'], want: `hc ${REDACTED}` },
    {
      case: 'a secret that contains another: the longer goes first, no fragment stays',
      text: 'x abcdefgh y',
      secrets: ['abcd', 'abcdefgh'],
      want: `x ${REDACTED} y`,
    },
    {
      case: 'the same, given the other way round',
      text: 'x abcdefgh y',
      secrets: ['abcdefgh', 'abcd'],
      want: `x ${REDACTED} y`,
    },
    {
      case: 'a multi-line secret printed with CRLF (a terminal)',
      text: 'got line-one\r\nline-two!',
      secrets: ['line-one\nline-two'],
      want: `got ${REDACTED}!`,
    },
    {
      case: 'one line of a multi-line secret (head of a key file)',
      text: 'k: AAAABBBBCCCCDDDD',
      secrets: ['-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\nEEEEFFFF\n-----END KEY-----'],
      want: `k: ${REDACTED}`,
    },
    {
      case: 'a secret as it appears inside JSON output',
      text: '{"p":"pa\\"ss\\\\word"}',
      secrets: ['pa"ss\\word'],
      want: `{"p":"${REDACTED}"}`,
    },
    {
      case: 'values under 4 characters are left alone (they would blank out ordinary words)',
      text: 'on and on',
      secrets: ['on'],
      want: 'on and on',
    },
    { case: 'no secrets: unchanged', text: 'plain', secrets: [], want: 'plain' },
  ])('$case', ({ text, secrets, want }) => {
    expect(scrubSecrets(text, secrets)).toBe(want);
  });
});

describe('secretValues', () => {
  it('envFiles values and secret-looking env keys, each once', () => {
    expect(
      secretValues(
        { MY_TOKEN: 's3cr3t', LOG_LEVEL: 'info', API_KEY: 'dup-value' },
        { FROM_FILE: 'dup-value', OTHER: 'file-value' },
      ).sort(),
    ).toEqual(['dup-value', 'file-value', 's3cr3t']);
  });
});

describe('sealSpec', () => {
  const spec = {
    env: { API_TOKEN: 'tok-0123456789', MODE: 'fast' },
    startup: {
      readyPattern: 'READY',
      commands: [
        { text: 'login --token tok-0123456789', delaySeconds: 0 },
        { text: 'echo fast', delaySeconds: 1 },
      ],
    },
  };

  it('seals secret env values, and the same values inside startup command texts', () => {
    const sealed = sealSpec(spec);
    expect(JSON.stringify(sealed)).not.toContain('tok-0123456789');
    expect(sealed.env).toEqual({ API_TOKEN: sealValue('tok-0123456789'), MODE: 'fast' });
    expect(sealed.startup.commands).toEqual([
      { text: `login --token ${sealValue('tok-0123456789')}`, delaySeconds: 0 },
      { text: 'echo fast', delaySeconds: 1 },
    ]);
    expect(sealed.startup.readyPattern).toBe('READY');
  });

  it('leaves a spec without secrets as it is', () => {
    const plain = { env: { MODE: 'fast' }, startup: { commands: [{ text: 'echo fast' }] } };
    expect(sealSpec(plain)).toEqual(plain);
  });
});
