/**
 * The TypeScript blocks of README.md and docs/**.md type-check against the
 * package's sources (strict), so a page cannot name an option, a property or
 * a function the package does not have, even in code that runs without
 * reading it. Each page's ```ts blocks (no-run ones included) are one module
 * importing 'dendrite'; errors are reported at their Markdown line.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT, codeBlocks, documentationPages, pageScript } from './support/markdown-code';

const MARKER = '__docBlock';

test('every TypeScript block of the documentation type-checks against the sources', () => {
  const virtual = new Map<string, { text: string; markdownLine: number[]; page: string }>();
  for (const page of documentationPages()) {
    const blocks = codeBlocks(path.join(REPO_ROOT, page)).filter((b) => b.language === 'ts' || b.language === 'typescript');
    if (blocks.length === 0) continue;
    const script = pageScript(blocks, MARKER);
    // The marker calls are declared; `export {}` makes the page a module (top-level await).
    const text = `${script.source}\ndeclare function ${MARKER}(k: number): void;\nexport {};\n`;
    virtual.set(path.join(REPO_ROOT, `${page}.check.ts`), { text, markdownLine: script.markdownLine, page });
  }
  expect(virtual.size).toBeGreaterThanOrEqual(10);

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    baseUrl: REPO_ROOT,
    paths: { dendrite: ['ts/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f)?.text ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const v = virtual.get(f);
    return v !== undefined ? ts.createSourceFile(f, v.text, lang, true) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);

  const problems: string[] = [];
  for (const [file, v] of virtual) {
    const source = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
      problems.push(`${v.page}:${v.markdownLine[line] || '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  expect(problems).toEqual([]);
}, 120000);
