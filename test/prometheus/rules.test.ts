/**
 * docs/prometheus-rules.yml: `promtool check rules` accepts it, `promtool test rules` runs rules.test.yml (each alert
 * fires on its situation, not on its near miss), and every series those files name is one procnet really writes, with
 * the labels it really has (checked against a scrape of the fixture capture).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { promLib } from '../support/prometheus-lib.js';
import { HAS_PROMTOOL, parseScrape } from './scrape.js';

const RULES = join(ROOT, 'docs/prometheus-rules.yml');
const TESTS = join(ROOT, 'test/prometheus/rules.test.yml');

describe('the alert rules', () => {
  it.skipIf(!HAS_PROMTOOL)('pass promtool check rules', () => {
    const r = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('SUCCESS: 6 rules found');
    expect(r.status).toBe(0);
  });

  it.skipIf(!HAS_PROMTOOL)('fire as rules.test.yml expects (promtool test rules)', () => {
    const r = spawnSync('promtool', ['test', 'rules', TESTS], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('name only series that procnet writes, with labels it gives them', async () => {
    const scrape = parseScrape(
      await promLib.collectMetrics({
        root: join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64'),
        processes: true,
      }),
    );
    const written = new Map<string, Set<string>>();
    for (const s of scrape.samples) {
      const labels = written.get(s.name) ?? new Set<string>();
      for (const l of Object.keys(s.labels)) labels.add(l);
      written.set(s.name, labels);
    }
    // The capture has no somaxconn; the exporter writes it unlabelled when it has one.
    written.set('procnet_somaxconn', new Set());
    const scrapeLabels = new Set(['job', 'instance', 'namespace']);
    const text = `${readFileSync(RULES, 'utf8')}\n${readFileSync(TESTS, 'utf8')}`;
    const used = [...text.matchAll(/\b(procnet_[a-z_]+)(?:\{([^}]*)\})?/g)];
    expect(used.length).toBeGreaterThan(10);
    for (const [, name, body] of used) {
      expect(written.has(name as string), name).toBe(true);
      for (const [, label] of (body ?? '').matchAll(/([a-z_]+)\s*(?:=|!=|=~|!~)/g)) {
        if (!scrapeLabels.has(label as string))
          expect(written.get(name as string), `${name} ${label}`).toContain(label);
      }
    }
  });
});
