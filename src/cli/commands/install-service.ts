// agentctl install-service: writes the systemd user unit with this node, this agentctl and this PATH.
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import { defaultStateDir, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { packageInfo } from './package-root.js';
import { servicePath } from './service-path.js';
import { renderUnit } from './service-unit.js';

export interface InstallServiceOptions {
  unitDir?: string;
  print?: boolean;
  httpAddr?: string;
  /** --specs or AGENTCTL_SPECS was given (else the unit watches the git-sync link). */
  specsGiven: boolean;
  hostGiven: boolean;
}

export async function installService(g: GlobalOptions, o: InstallServiceOptions): Promise<void> {
  const home = process.env.HOME || homedir();
  const { root } = packageInfo();
  const templatePath = join(root, 'deploy', 'systemd', 'agentctl.service');
  let template: string;
  try {
    template = await readFile(templatePath, 'utf8');
  } catch (err) {
    throw new ExitError(
      2,
      `cannot read the unit template ${templatePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const cli = realpathSync(fileURLToPath(new URL('../main.js', import.meta.url)));
  if (cli.includes('/_npx/'))
    throw new ExitError(
      2,
      `this agentctl runs from npx's cache (${cli}), which npm may clear at any time: install agentctl (see the README's Install section) and run \`agentctl install-service\` from there`,
    );
  const specs = o.specsGiven ? resolve(g.specs) : join(home, 'agentctl', 'sync', 'live');
  const env: Record<string, string> = {
    AGENTCTL_SPECS: specs,
    // The same state dir and socket the CLI in this shell uses, so `agentctl get` sees the service's agents.
    AGENTCTL_STATE: resolve(g.state ?? defaultStateDir(process.env, home)),
    AGENTCTL_TMUX_SOCKET: g.tmuxSocket,
  };
  // The shell's UTF-8 locale if it has one (the template's C.UTF-8 otherwise).
  const lang = process.env.LC_ALL || process.env.LANG;
  if (lang && /utf-?8/i.test(lang)) env.LANG = lang;
  if (o.httpAddr) env.AGENTCTL_HTTP_ADDR = o.httpAddr;
  if (o.hostGiven && g.host) env.AGENTCTL_HOST = g.host;
  const unit = renderUnit(template, {
    node: process.execPath,
    cli,
    // Not npx's temporary entries: every agent inherits this PATH.
    path: servicePath(process.env.PATH ?? '') || '/usr/local/bin:/usr/bin:/bin',
    env,
    template: templatePath,
  });
  if (o.print) {
    process.stdout.write(unit);
    return;
  }
  const configHome = process.env.XDG_CONFIG_HOME?.startsWith('/') ? process.env.XDG_CONFIG_HOME : join(home, '.config');
  const dir = resolve(o.unitDir ?? join(configHome, 'systemd', 'user'));
  const file = join(dir, 'agentctl.service');
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, unit, { mode: 0o644, fsync: true });
  const rows: [string, string][] = [
    ['node', process.execPath],
    ['agentctl', cli],
    [
      'specs',
      `${specs}${existsSync(specs) ? '' : o.specsGiven ? ' (does not exist yet)' : ' (the git-sync link, not there yet: set up deploy/git-sync, or give --specs DIR)'}`,
    ],
    ['state', env.AGENTCTL_STATE!],
    ['socket', env.AGENTCTL_TMUX_SOCKET!],
  ];
  process.stdout.write(
    `wrote ${file}\n${rows.map(([k, v]) => `  ${`${k}:`.padEnd(10)}${v}\n`).join('')}` +
      'next:\n  systemctl --user daemon-reload && systemctl --user enable --now agentctl\n' +
      '  loginctl enable-linger "$USER"   # keep the controller and the agents running after logout\n',
  );
}
