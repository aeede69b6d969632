// Secrets (envFiles values, secret-looking env keys) reach the agent but never any output of agentctl.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { startController } from '../../helpers/controller.js';

const fx = useTmuxSandbox();

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('secrets', () => {
  it('never appear in validate, diff, reconcile, get, describe, events, controller logs or the tmux command line', async () => {
    const fileSecret = `envfile-secret-${randomBytes(8).toString('hex')}`;
    const keySecret = `token-secret-${randomBytes(8).toString('hex')}`;
    const rotated = `rotated-secret-${randomBytes(8).toString('hex')}`;
    const envFile = join(fx.sb.dir, 'agent.env');
    writeFileSync(envFile, `MY_SECRET=${fileSecret}\nPLAIN=visible\n`);
    const wd = join(fx.sb.dir, 'wd');
    fx.sb.write(
      's.yaml',
      agentYaml(
        's',
        [
          'sh',
          '-c',
          'printf %s "$MY_SECRET" | sha256sum > secret.sha; printf %s "$API_TOKEN" | sha256sum > token.sha; exec sleep 3600',
        ],
        {
          workdir: wd,
          env: { API_TOKEN: keySecret, LOG_LEVEL: 'debug' },
          envFiles: [envFile],
          hooks: {
            preStart: ['echo "hook sees $MY_SECRET and $API_TOKEN"; touch hook-ran'],
            postStart: [{ exec: ['sh', '-c', 'echo "$MY_SECRET" >&2; exit 3'] }],
          },
        },
      ),
    );

    const outputs: string[] = [];
    const run = async (args: string[]): Promise<number> => {
      const r = await fx.sb.run(['--log-level', 'debug', ...args]);
      outputs.push(`$ ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
      return r.exitCode;
    };
    expect(await run(['validate'])).toBe(0);
    expect(await run(['diff'])).toBe(1);
    expect(await run(['diff', '-o', 'json'])).toBe(1);
    expect(await run(['reconcile', '--once', '--settle', '0'])).toBe(0);

    // The agent got both values.
    await waitFor(
      async () => existsSync(join(wd, 'token.sha')) && readFileSync(join(wd, 'token.sha'), 'utf8').length > 0,
    );
    expect(readFileSync(join(wd, 'secret.sha'), 'utf8')).toContain(sha(fileSecret));
    expect(readFileSync(join(wd, 'token.sha'), 'utf8')).toContain(sha(keySecret));
    expect(existsSync(join(wd, 'hook-ran'))).toBe(true);

    for (const o of ['table', 'wide', 'json', 'yaml']) expect(await run(['get', '-o', o])).toBe(0);
    expect(await run(['describe', 's'])).toBe(0);
    expect(outputs.join('\n')).toContain('API_TOKEN=<redacted>');

    // Rotating the envFile's secret rolls the agent (its content is in the hash) without showing it.
    writeFileSync(envFile, `MY_SECRET=${rotated}\nPLAIN=visible\n`);
    expect(await run(['diff'])).toBe(1);
    const ctl = await startController(fx.sb, ['--log-level', 'debug', '--resync', '1s']);
    await waitFor(async () => readFileSync(join(wd, 'secret.sha'), 'utf8').includes(sha(rotated)), 10_000);
    await ctl.stop();
    outputs.push(ctl.lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(await run(['describe', 's'])).toBe(0);

    const registry = readdirSync(join(fx.sb.state, 'registry')).map((f) =>
      readFileSync(join(fx.sb.state, 'registry', f), 'utf8'),
    );
    const all = [...outputs, ...registry].join('\n');
    // Hook failure made it into the events, with its output scrubbed.
    expect(registry.join('\n')).toMatch(/postStart/);
    for (const secret of [fileSecret, keySecret, rotated]) {
      const at = all.indexOf(secret);
      expect(at, at >= 0 ? `leaked: ...${all.slice(Math.max(0, at - 400), at + 60)}` : '').toBe(-1);
    }

    // The tmux server's command line (the first client's argv) holds no env values.
    const pid = (await fx.tmux.run('display-message', '-p', '#{pid}')).stdout.trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    for (const secret of [fileSecret, keySecret, rotated]) expect(cmdline).not.toContain(secret);
  });
});

describe('a secret in a startup command', () => {
  it('is sealed in the registry, never kept verbatim, and the command is not typed', async () => {
    const secret = `cmd-secret-${randomBytes(8).toString('hex')}`;
    fx.sb.write(
      'c.yaml',
      agentYaml('c', ['sh', '-c', 'echo READY; exec sleep 600'], {
        env: { API_TOKEN: secret },
        startup: { readyPattern: 'READY', commands: [{ text: `login ${secret}` }, { text: 'echo plain-command' }] },
      }),
    );
    expect((await fx.sb.run(['reconcile', '--once', '--timeout', '20s'])).exitCode).toBe(0);
    const registry = join(fx.sb.state, 'registry');
    for (const f of readdirSync(registry)) expect(readFileSync(join(registry, f), 'utf8'), f).not.toContain(secret);
    const rec = JSON.parse(readFileSync(join(registry, 'c.json'), 'utf8')) as {
      appliedSpec: { startup: { commands: { text: string }[] } };
      events: { reason: string }[];
    };
    expect(rec.appliedSpec.startup.commands[0]!.text).toMatch(/^login <secret sha256:[0-9a-f]{16}>$/);
    expect(rec.events.some((e) => e.reason === 'CommandRefused')).toBe(true);
    const out = `${(await fx.sb.run(['get', 'c', '-o', 'json'])).stdout}${(await fx.sb.run(['describe', 'c'])).stdout}`;
    expect(out).not.toContain(secret);
  });
});
