/**
 * No SQL text is built from a value (docs/decisions/0001-raw-sql-for-seats.md): statements go
 * through the gateway's `sql` tag, which turns every `${value}` into a `$n` parameter. This scans
 * every source file of api/src for a call that sends SQL text — `.query(…)`, `.execute(…)`,
 * `raw(…)`, `fixedSql(…)` — with an untagged template literal that interpolates something, and
 * for `em.execute`, which formats parameters into the text itself. SQL function bodies in
 * migrations are exempt (they are fixed DDL, and `addSql` is not one of the calls above).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { API_SRC, sourceFiles } from '../support/source-files.js';

const SQL_CALLS = new Set(['query', 'execute', 'raw', 'fixedSql']);
/**
 * The one place allowed to build fixed SQL text: identifiers (column and table names) read from
 * the entities' metadata, never from input.
 */
const ALLOWED = new Set(['db/views.ts']);

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Untagged template literals with substitutions anywhere inside `node`. */
function interpolations(node: ts.Node): ts.TemplateExpression[] {
  const found: ts.TemplateExpression[] = [];
  const visit = (child: ts.Node) => {
    if (ts.isTemplateExpression(child) && !ts.isTaggedTemplateExpression(child.parent)) found.push(child);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function violations(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const path = relative(API_SRC, file);
  const found: string[] = [];
  const where = (node: ts.Node) => `${path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'execute' && ts.isPropertyAccessExpression(node.expression) && /\bem\b/.test(node.expression.expression.getText())) {
        found.push(`${where(node)} em.execute`);
      }
      if (name && SQL_CALLS.has(name) && !ALLOWED.has(path)) {
        for (const arg of node.arguments) for (const template of interpolations(arg)) found.push(`${where(template)} ${name}(\`…\${…}…\`)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('SQL text', () => {
  it('is never built by interpolating a value into a template (the sql tag makes values parameters)', () => {
    const files = sourceFiles(API_SRC).filter((file) => !relative(API_SRC, file).startsWith('app/migrations/'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(violations)).toEqual([]);
  });

  it('would catch a statement built from a value', () => {
    const probe = join(API_SRC, 'db', '__probe__.ts');
    const source = ts.createSourceFile(
      probe,
      ['export const q = (db: any, id: string) =>', ' db.query(`select * from member where id = $', '{id}`);'].join(''),
      ts.ScriptTarget.ES2022,
      true,
    );
    const calls: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && SQL_CALLS.has(calleeName(node) ?? ''))
        calls.push(...node.arguments.flatMap(interpolations).map(String));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(calls).toHaveLength(1);
  });
});
