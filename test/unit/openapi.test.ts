import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../infra/routes.js';

/**
 * `docs/openapi.yaml` is kept in a plain block style (two-space indents, paths at level 1, methods
 * at level 2), so its structure can be read line by line here without a YAML dependency.
 */
const SPEC = readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8');
const LINES = SPEC.split('\n');
const METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options']);

interface Operation {
  method: string;
  path: string;
  lines: string[];
}

/** The lines of the top-level section `name:` (up to the next top-level key). */
function section(name: string): string[] {
  const start = LINES.indexOf(`${name}:`);
  if (start < 0) return [];
  const end = LINES.findIndex((line, index) => index > start && /^\S/.test(line));
  return LINES.slice(start + 1, end < 0 ? undefined : end);
}

function operations(): Operation[] {
  const found: Operation[] = [];
  let path: string | undefined;
  let current: Operation | undefined;
  for (const line of section('paths')) {
    const pathMatch = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathMatch !== null) {
      path = pathMatch[1];
      current = undefined;
      continue;
    }
    const methodMatch = /^ {4}([a-z]+):\s*$/.exec(line);
    if (methodMatch !== null && path !== undefined) {
      const method = methodMatch[1] ?? '';
      if (!METHODS.has(method)) throw new Error(`unexpected key "${method}" under ${path}`);
      current = { method: method.toUpperCase(), path, lines: [] };
      found.push(current);
      continue;
    }
    if (/^ {4}\S/.test(line)) current = undefined;
    current?.lines.push(line);
  }
  return found;
}

/** Names of the reusable parameters under components.parameters. */
function componentParameterNames(): Map<string, string> {
  const names = new Map<string, string>();
  const components = section('components');
  const start = components.indexOf('  parameters:');
  let current: string | undefined;
  for (const line of components.slice(start + 1)) {
    if (/^ {2}\S/.test(line)) break;
    const key = /^ {4}(\w+):\s*$/.exec(line);
    if (key !== null) current = key[1];
    const name = /^ {6}name: (\S+)\s*$/.exec(line);
    if (name !== null && current !== undefined) names.set(current, name[1] ?? '');
  }
  return names;
}

function declaredParameters(operation: Operation): Set<string> {
  const references = componentParameterNames();
  const declared = new Set<string>();
  for (const line of operation.lines) {
    const inline = /^\s+- name: (\S+)\s*$/.exec(line);
    if (inline !== null) declared.add(inline[1] ?? '');
    const ref = /^\s+- \$ref: '#\/components\/parameters\/(\w+)'\s*$/.exec(line);
    if (ref !== null) {
      const name = references.get(ref[1] ?? '');
      if (name === undefined) throw new Error(`unknown parameter reference ${ref[1]}`);
      declared.add(name);
    }
  }
  return declared;
}

describe('docs/openapi.yaml', () => {
  const specified = operations();
  const specKeys = specified.map((operation) => `${operation.method} ${operation.path}`);

  it('is OpenAPI 3.1', () => {
    // Assess
    expect(LINES[0]).toBe('openapi: 3.1.0');
    expect(SPEC).not.toContain('\t');
  });

  it('describes every route of infra/routes.ts with its method', () => {
    // Act
    const missing = ROUTES.map(routeKey).filter((key) => !specKeys.includes(key));

    // Assess
    expect(missing).toEqual([]);
  });

  it('describes no route that infra/routes.ts does not serve', () => {
    // Prepare
    const served = new Set(ROUTES.map(routeKey));

    // Act
    const extra = specKeys.filter((key) => !served.has(key));

    // Assess
    expect(extra).toEqual([]);
    expect(new Set(specKeys).size).toBe(specKeys.length);
  });

  it('declares the authorizer of each route as the route table does', () => {
    // Act / Assess
    for (const route of ROUTES) {
      const operation = specified.find(
        (candidate) => candidate.method === route.method && candidate.path === route.path,
      );
      const text = operation?.lines.join('\n') ?? '';
      if (route.auth === 'jwt')
        expect(text, routeKey(route)).toMatch(/\n\s+security:\n\s+- drafterJwt: \[\]/);
      else expect(text, routeKey(route)).toMatch(/\n\s+security: \[\]/);
    }
  });

  it('declares every path parameter of every operation', () => {
    // Act / Assess
    for (const operation of specified) {
      const wanted = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
      const declared = declaredParameters(operation);
      for (const name of wanted)
        expect(declared.has(name), `${operation.method} ${operation.path}: ${name}`).toBe(true);
    }
  });

  it('gives each operation a unique operationId and at least one success response', () => {
    // Act
    const ids = specified.map(
      (operation) => /^\s+operationId: (\w+)$/m.exec(operation.lines.join('\n'))?.[1],
    );

    // Assess
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // A page's form POST succeeds with 303 See Other (post/redirect/get).
    for (const operation of specified) {
      const success =
        operation.path.startsWith('/app') && operation.method === 'POST'
          ? /^ {8}'(2\d\d|303)':/
          : /^ {8}'2\d\d':/;
      expect(
        operation.lines.some((line) => success.test(line)),
        `${operation.method} ${operation.path}`,
      ).toBe(true);
    }
  });

  it('points at JSON Schemas that exist', () => {
    // Act
    const files = [...SPEC.matchAll(/\$ref: '\.\/(schemas\/[\w.-]+\.json)'/g)].map((match) => match[1] ?? '');

    // Assess
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(() => readFileSync(new URL(`../../docs/${file}`, import.meta.url))).not.toThrow();
  });
});
