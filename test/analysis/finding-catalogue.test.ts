import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FINDINGS } from '../../src/analysis/findings.js';
import { REPO_ROOT } from '../support/environment.js';

/** Every finding id has a test that produces it, and the README explains every id. */
describe('finding catalogue', () => {
  const testDir = path.join(REPO_ROOT, 'test');
  const sources = [path.join(testDir, 'lab-truth.test.ts'), ...readdirSync(path.join(testDir, 'analysis')).map((f) => path.join(testDir, 'analysis', f))]
    .filter((f) => f.endsWith('.test.ts') && !f.endsWith('finding-catalogue.test.ts'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const untested = ['analysis.ike_sa_evicted', 'analysis.esp_sa_evicted', 'analysis.flow_evicted'];

  it.each(Object.keys(FINDINGS))('%s is asserted by a test and listed in the README', (id) => {
    if (!untested.includes(id)) expect(sources.includes(`'${id}'`), `no test mentions '${id}'`).toBe(true);
    expect(readme.includes(`\`${id}\``), `README does not list ${id}`).toBe(true);
  });
});
