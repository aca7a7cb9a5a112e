/** The build renders the same bytes in any time zone or locale: rendered in a process of its own under others. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { renderArtifacts } from '../../build/render';
import { resolveConfig } from '../../config';

const root = join(import.meta.dirname, '../..');

it('does not depend on the time zone or locale of the machine', () => {
  const script = [
    "import { renderArtifacts } from './build/render.ts';",
    "import { resolveConfig } from './config/index.ts';",
    'process.stdout.write(JSON.stringify([...renderArtifacts(resolveConfig())]));',
  ].join(' ');
  const elsewhere = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(JSON.parse(elsewhere)).toEqual([...renderArtifacts(resolveConfig())]);
});

