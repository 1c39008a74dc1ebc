/**
 * Every document the code and the docs cite exists in the repository, so a comment that points
 * at a rule or a decision points at a file a maintainer has (docs/README.md).
 *
 * Scanned: api/src, api/test, admin/src, packages/<name>/src, the root README, each package's
 * README and every markdown file under docs/. A citation is:
 * - a `docs/….md` path, resolved against the repository root;
 * - a relative markdown link `[text](path)`, resolved against the citing file's folder. In
 *   markdown every target counts; in code only `.md` targets (`handlers[name](args)` is code);
 * - any other mention of a markdown file: a path is looked up from the repository root, the
 *   citing file's folder and its package; a bare name must name a file somewhere in the
 *   repository.
 * Anchors (`#rule-4`) are not required to exist: only the file is checked. URLs are not checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.data', '.artifacts', 'coverage']);
const TEXT_FILE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|vue|md|graphql|sql|html|css)$/;

interface Citation {
  line: number;
  /** As written, without its anchor. */
  target: string;
  kind: 'link' | 'path' | 'name';
}

function files(folder: string, keep: (path: string) => boolean, found: string[] = []): string[] {
  if (!existsSync(folder)) return found;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files(path, keep, found);
    else if (entry.isFile() && keep(path)) found.push(path);
  }
  return found;
}

/** The files whose citations are checked. */
function citingFiles(): string[] {
  const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(ROOT, 'packages', entry.name));
  const code = [join(ROOT, 'api/src'), join(ROOT, 'api/test'), join(ROOT, 'admin/src'), ...packages.map((p) => join(p, 'src'))];
  const readmes = [join(ROOT, 'README.md'), ...packages.map((p) => join(p, 'README.md'))].filter((path) => existsSync(path));
  return [
    ...code.flatMap((folder) => files(folder, (path) => TEXT_FILE.test(path))),
    ...readmes,
    ...files(join(ROOT, 'docs'), (path) => path.endsWith('.md')),
  ].filter((path) => path !== THIS_FILE);
}

const LINK = /\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const MARKDOWN_FILE = /(?<![\w./@-])((?:[\w@.-]+\/)*[\w.-]+\.md)(?![\w-])/g;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;
const withoutAnchor = (target: string) => target.replace(/[#?].*$/, '');

/** The citations in one file's text; `markdown` when the file is a markdown document. */
function citationsIn(text: string, markdown: boolean): Citation[] {
  const found: Citation[] = [];
  // Links first; their targets are then blanked so the name scan does not count them twice.
  let rest = text.replace(LINK, (match, target: string, offset: number) => {
    const path = withoutAnchor(target);
    if (SCHEME.test(target) || path === '' || (!markdown && !path.endsWith('.md'))) return match;
    found.push({ line: lineAt(text, offset), target: path, kind: 'link' });
    return match.replace(/[^\n]/g, ' ');
  });
  rest = rest.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s)>"'`]+/gi, (url) => ' '.repeat(url.length));
  for (const match of rest.matchAll(MARKDOWN_FILE)) {
    const target = match[1]!;
    found.push({ line: lineAt(text, match.index), target, kind: target.includes('/') ? 'path' : 'name' });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The workspace package a file belongs to (api/, admin/, packages/<name>/), or the root. */
function packageOf(file: string): string {
  const [first, second] = relative(ROOT, file).split(sep);
  if (first === 'packages' && second) return join(ROOT, first, second);
  if (first === 'api' || first === 'admin') return join(ROOT, first);
  return ROOT;
}

let namesInRepository: Set<string> | undefined;
function existsByName(name: string): boolean {
  namesInRepository ??= new Set(files(ROOT, () => true).map((path) => basename(path)));
  return namesInRepository.has(name);
}

/** Whether the document a citation names exists in the repository. */
function resolves(citation: Citation, file: string): boolean {
  const here = dirname(file);
  const { target } = citation;
  if (citation.kind === 'link') return existsSync(target.startsWith('/') ? join(ROOT, target) : resolve(here, decodeURI(target)));
  if (target.startsWith('docs/')) return existsSync(join(ROOT, target));
  if (target.startsWith('./') || target.startsWith('../')) return existsSync(resolve(here, target));
  if (citation.kind === 'path') return [ROOT, here, packageOf(file)].some((base) => existsSync(join(base, target)));
  return existsSync(join(here, target)) || existsSync(join(ROOT, target)) || existsByName(target);
}

describe('the citation scanner', () => {
  it('finds docs paths, relative markdown links and bare markdown names, each on its line', () => {
    const text = [
      '/** The seat rules (docs/seat-rules.md, rule 4). */',
      'See [the decision](decisions/0001-raw-sql-for-seats.md) and [code](../api/src/db/sql.ts).',
      '// as DESIGN.md says, and packages/bench/README.md',
    ].join('\n');
    expect(citationsIn(text, true)).toEqual([
      { line: 1, target: 'docs/seat-rules.md', kind: 'path' },
      { line: 2, target: 'decisions/0001-raw-sql-for-seats.md', kind: 'link' },
      { line: 2, target: '../api/src/db/sql.ts', kind: 'link' },
      { line: 3, target: 'DESIGN.md', kind: 'name' },
      { line: 3, target: 'packages/bench/README.md', kind: 'path' },
    ]);
  });

  it('does not require anchors: a citation resolves when its file exists, whatever follows #', () => {
    const docsIndex = join(ROOT, 'docs/README.md');
    const found = citationsIn('[rule 4](seat-rules.md#no-such-heading), docs/seat-rules.md#rule-4', true);
    expect(found).toEqual([
      { line: 1, target: 'seat-rules.md', kind: 'link' },
      { line: 1, target: 'docs/seat-rules.md', kind: 'path' },
    ]);
    expect(found.map((citation) => resolves(citation, docsIndex))).toEqual([true, true]);
  });

  it('skips URLs and in-page anchors; in code, only markdown link targets are links', () => {
    expect(citationsIn('[site](https://example.org/guide.md) [up](#top) see https://example.org/a.md', true)).toEqual([]);
    expect(citationsIn('handlers[name](args); notes[0](docs/x.md)', false)).toEqual([{ line: 1, target: 'docs/x.md', kind: 'link' }]);
  });

  it('refuses a document that does not exist', () => {
    const file = join(ROOT, 'api/src/db/sql.ts');
    expect(resolves({ line: 1, target: 'DESIGN.md', kind: 'name' }, file)).toBe(false);
    expect(resolves({ line: 1, target: 'docs/no-such-document.md', kind: 'path' }, file)).toBe(false);
    expect(resolves({ line: 1, target: 'README.md', kind: 'name' }, file)).toBe(true);
  });
});

describe('document citations', () => {
  const cited = citingFiles().flatMap((file) =>
    citationsIn(readFileSync(file, 'utf8'), file.endsWith('.md')).map((citation) => ({ file, citation })),
  );

  it('are found in the code and the documents', () => {
    expect(cited.length).toBeGreaterThan(20);
  });

  it('name only documents that exist in the repository', () => {
    const missing = cited
      .filter(({ file, citation }) => !resolves(citation, file))
      .map(({ file, citation }) => `${relative(ROOT, file)}:${citation.line} cites ${citation.target}`);
    expect(missing).toEqual([]);
  });
});
