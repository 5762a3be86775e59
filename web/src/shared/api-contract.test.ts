// Keeps the web on the generated contract (issue 15: "the web imports no hand-written API type").
// It reads every web source file with the TypeScript parser and fails when
//  - a URL of the API ('/api/…', '/public/…') is written anywhere but as the route of a typed call
//    (api.get/post/put/patch/del, downloadUrl, uploadUrl), in a type (ApiOk<'/api/v1/…'>), or as a
//    value of a route table checked with `satisfies Record<…, PathsOf<…>>`;
//  - the route of a typed call is built at run time (a template, a variable, a cast), not a literal;
//  - openapi-fetch is used outside shared/api.ts;
//  - an interface or object type declares the property names of an object of the OpenAPI document
//    (the same names, or at least 4 of one object's names and nothing else): a hand-written copy of a
//    server DTO. Name the answer with ApiOk / ApiBody / ItemOf instead.
// The DTO check compares shapes, not names, so renaming a copy does not hide it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const sharedApi = new Set(['shared/api.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'api' && dir.endsWith('shared') ? [] : sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.(test|d)\.tsx?$/.test(name) ? [p] : [];
  });
}

const files = sources(root).map((p) => {
  const text = readFileSync(p, 'utf8');
  return { rel: relative(root, p), sf: ts.createSourceFile(p, text, ts.ScriptTarget.Latest, true, p.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS) };
});

const typedCalls = new Set(['api.get', 'api.post', 'api.put', 'api.patch', 'api.del', 'downloadUrl', 'uploadUrl']);
const isApiUrl = (s: string) => /^\/(api|public)\//.test(s);
const where = (sf: ts.SourceFile, n: ts.Node) => `${sf.fileName.slice(root.length + 1)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;

function calleeOf(n: ts.Node): string | null {
  const call = n.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== n) return null;
  return call.expression.getText();
}

/** A value in an object literal that is checked with `satisfies …PathsOf<…>`. */
function inRouteTable(n: ts.Node): boolean {
  const prop = n.parent;
  if (!prop || !ts.isPropertyAssignment(prop) || prop.initializer !== n) return false;
  let obj: ts.Node = prop.parent;
  while (obj.parent && (ts.isAsExpression(obj.parent) || ts.isParenthesizedExpression(obj.parent))) obj = obj.parent;
  return !!obj.parent && ts.isSatisfiesExpression(obj.parent) && /PathsOf</.test(obj.parent.type.getText());
}

function inType(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isTypeNode(p)) return true;
  return false;
}

describe('the web uses the generated API contract', () => {
  it('writes a URL of the API only as the literal route of a typed call, a type, or a checked route table', () => {
    const bad: string[] = [];
    for (const { rel, sf } of files) {
      if (sharedApi.has(rel)) continue;
      const visit = (n: ts.Node) => {
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
          if (isApiUrl(n.text) && !inType(n) && !typedCalls.has(calleeOf(n) ?? '') && !inRouteTable(n)) bad.push(`${where(sf, n)} ${n.text}`);
        } else if (ts.isTemplateExpression(n)) {
          if (isApiUrl(n.head.text)) bad.push(`${where(sf, n)} built URL ${n.getText(sf)}`);
        } else if (ts.isCallExpression(n) && typedCalls.has(n.expression.getText(sf))) {
          const a = n.arguments[0];
          // a literal route, or a key into a route table (its type is checked against PathsOf)
          const ok = a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a) || ts.isElementAccessExpression(a));
          if (!ok) bad.push(`${where(sf, n)} route is not a literal: ${a?.getText(sf) ?? '(none)'}`);
        } else if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text === 'openapi-fetch') {
          bad.push(`${where(sf, n)} imports openapi-fetch (use api from shared/api)`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(bad).toEqual([]);
  });

  it('declares no copy of an object of the OpenAPI document', () => {
    // every object schema of the document (answers, bodies, nested objects), as its property names
    const doc = JSON.parse(readFileSync(join(root, 'shared/api/openapi.json'), 'utf8'));
    const shapes = new Map<string, string[]>();
    const walk = (s: unknown, at: string) => {
      if (!s || typeof s !== 'object') return;
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}[${i}]`));
      const o = s as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') {
        const names = Object.keys(o.properties).sort();
        if (names.length >= 3) shapes.set(names.join(','), names);
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${at}.${k}`);
    };
    walk(doc.paths, 'paths');
    walk(doc.components, 'components');
    const schemaSets = [...shapes.values()].map((n) => new Set(n));

    const copies: string[] = [];
    for (const { rel, sf } of files) {
      if (sharedApi.has(rel)) continue;
      const check = (name: string, members: ts.NodeArray<ts.TypeElement>, n: ts.Node) => {
        const props = members.filter(ts.isPropertySignature).map((m) => m.name.getText(sf));
        if (props.length < 3 || props.length !== members.length) return;
        const mirrors = schemaSets.some((s) => (props.length === s.size || props.length >= 4) && props.every((p) => s.has(p)));
        if (mirrors) copies.push(`${where(sf, n)} ${name} { ${props.join(', ')} }`);
      };
      const visit = (n: ts.Node) => {
        if (ts.isInterfaceDeclaration(n)) check(n.name.text, n.members, n);
        else if (ts.isTypeAliasDeclaration(n) && ts.isTypeLiteralNode(n.type)) check(n.name.text, n.type.members, n);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(copies).toEqual([]);
  });
});
