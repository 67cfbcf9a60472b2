import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { FIXTURES, IN_CI, REPO_ROOT } from '../support/environment.js';
import { espy, tempCapture } from '../support/run-espy.js';
import { hostileMainMode, IMG_ID, SCRIPT_VID } from './hostile-capture.js';

/**
 * The HTML report in a real browser: Debian's headless Chromium driven by playwright-core (no
 * browser download). Skipped with a message when Chromium is missing locally; a failure under CI,
 * whose script installs it (.ci/run).
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const LAB_OUTSIDE = path.join(FIXTURES, 'lab/ikev2-client-behind-nat/outside-nat.pcap');

const missing = existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
if (missing && !IN_CI) console.warn(`SKIPPED browser tests of the HTML report: ${missing}`);

async function writeReport(capture: string): Promise<string> {
  const out = tempCapture(new Uint8Array(), 'report.html');
  const r = await espy('report', capture, '-o', out);
  expect(r.code, r.err.join('\n')).toBe(0);
  return out;
}

describe.skipIf(missing !== undefined && !IN_CI)('espy report in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (missing) throw new Error(`CI must run the browser tests: ${missing}`);
    profile = mkdtempSync(path.join(tmpdir(), 'espy-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a report and records every request and page error. */
  async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, requests, errors };
  }

  it('renders the ladder of the lab capture: 6 arrows, the float to 4500 labelled', async () => {
    const file = await writeReport(LAB_OUTSIDE);
    const { page, requests, errors } = await open(file);
    const messages = page.locator('svg.ladder g.msg');
    await expect.poll(() => messages.count()).toBe(6);
    // Each arrow is laid out (a horizontal line: width but no height) across the diagram.
    for (let i = 0; i < 6; i++) expect((await messages.nth(i).locator('line.arrow').boundingBox())?.width).toBeGreaterThan(300);
    // Requests go from the initiator (left) to the responder (right), responses back.
    const directions = await messages.evaluateAll((gs) => gs.map((g) => {
      const l = g.querySelector('line.arrow')!;
      return Number(l.getAttribute('x2')) > Number(l.getAttribute('x1')) ? 'right' : 'left';
    }));
    expect(directions).toEqual(['right', 'left', 'right', 'left', 'right', 'left']);
    const float = page.locator('svg.ladder g.msg[data-float="1"]');
    await expect.poll(() => float.count()).toBe(1);
    expect(await float.getAttribute('data-frame')).toBe('3');
    expect(await float.textContent()).toMatch(/IKE_AUTH request.*float to 4500/s);
    expect(await messages.nth(0).textContent()).toMatch(/198\.51\.100\.2:500 → 203\.0\.113\.2:500.*NAT-D src ✗ dst ✓/s);
    expect(await page.locator('svg.ladder [data-column]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-column')))).toEqual(['initiator', 'initiator-nat', 'responder']);
    expect(await page.locator('svg.ladder .capture').isVisible()).toBe(true);
    expect(await page.locator('svg.ladder .fmark').count()).toBeGreaterThan(0);
    // A link from a finding lands on its arrow.
    expect(await page.locator('.finding a[href="#sa1-r3"]').count()).toBeGreaterThan(0);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });

  it('runs no script from packet strings and shows them escaped', async () => {
    const file = await writeReport(tempCapture(hostileMainMode()));
    const { page, requests, errors } = await open(file);
    await page.waitForTimeout(200);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(SCRIPT_VID);
    expect(text).toContain(IMG_ID.replace('\x1b', '\\x1b'));
    expect(text).not.toContain('\x1b');
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-hostile.png'), fullPage: true });
    await page.close();
  });

  it('blocks scripts by its Content-Security-Policy even if markup slipped through', async () => {
    const file = await writeReport(LAB_OUTSIDE);
    const { page } = await open(file);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    // Inject an inline script into the live page: the policy must refuse to run it.
    await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 3';
      document.body.append(s);
    })()`);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.close();
  });
});
