/**
 * Reading an exposition back in tests: every sample line as name, labels and value, and the metadata lines, so a test
 * can check a series by its labels. Follows the text format's escapes (`\\`, `\"`, `\n` in label values).
 */
import { spawnSync } from 'node:child_process';

export interface ScrapedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  samples: ScrapedSample[];
  /** `# TYPE` of each family name. */
  types: Map<string, string>;
  /** Samples of `name` whose labels include every one given. */
  find(name: string, labels?: Record<string, string>): ScrapedSample[];
  /** The value of the one sample of `name` with those labels; throws when there is not exactly one. */
  value(name: string, labels?: Record<string, string>): number;
}

function unescapeLabel(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

export function parseScrape(text: string): Scrape {
  const samples: ScrapedSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) types.set(type[1] as string, type[2] as string);
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    const body = m[2] ?? '';
    let l: RegExpExecArray | null = re.exec(body);
    let end = 0;
    while (l !== null) {
      labels[l[1] as string] = unescapeLabel(l[2] as string);
      end = re.lastIndex;
      l = re.exec(body);
    }
    if (end !== body.length) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  const find = (name: string, want: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    types,
    find,
    value(name, want = {}) {
      const found = find(name, want);
      if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(want)}`);
      return (found[0] as ScrapedSample).value;
    },
  };
}

/** `promtool` is installed (Debian's prometheus package; .ci/run installs it). */
export const HAS_PROMTOOL = spawnSync('promtool', ['--version']).status === 0;

/** `promtool check metrics` on a text exposition: its exit status and what it said. */
export function promtoolCheckMetrics(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
