/**
 * A Prometheus scrape over real HTTP, parsed from the text format: samples with their labels,
 * and the series names each declared metric exposes (a histogram `x` exposes `x_bucket`,
 * `x_sum` and `x_count`).
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  status: number;
  text: string;
  samples: Sample[];
  /** Every series name the answer declares, histogram and summary suffixes included. */
  seriesNames: Set<string>;
  /** The value of the one sample of `name` whose labels include `labels` (undefined when none). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every value one label takes across the samples of `name`. */
  labelValues(name: string, label: string): Set<string>;
}

const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

export function parseExposition(text: string): Omit<Scrape, 'status'> {
  const samples: Sample[] = [];
  const seriesNames = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) for (const suffix of SUFFIXES[type[2]!] ?? ['']) seriesNames.add(`${type[1]}${suffix}`);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  const matching = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    text,
    samples,
    seriesNames,
    value(name, labels) {
      const found = matching(name, labels);
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value;
    },
    labelValues: (name, label) => new Set(matching(name).flatMap((s) => (s.labels[label] === undefined ? [] : [s.labels[label]]))),
  };
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, ...parseExposition(text) };
}
