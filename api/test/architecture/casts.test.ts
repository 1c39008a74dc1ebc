/**
 * `as never` silences the compiler at exactly the places where a type should say what flows
 * (a payload, a resolver's return type): the reshaping removed every one of them from api/src,
 * and this keeps it so. A cast that is really needed names the type it casts to.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { API_SRC, sourceFiles } from '../support/source-files.js';

function neverCasts(text: string, path: string): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node) && node.type.kind === ts.SyntaxKind.NeverKeyword) {
      found.push(`${relative(API_SRC, path)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('casts', () => {
  it('api/src has no `as never`', () => {
    const files = sourceFiles(API_SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => neverCasts(readFileSync(file, 'utf8'), file))).toEqual([]);
  });

  it('would catch one', () => {
    expect(neverCasts('export const f = (x: unknown) => g(x as never);', `${API_SRC}probe.ts`)).toEqual(['probe.ts:1']);
  });
});
