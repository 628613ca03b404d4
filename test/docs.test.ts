/**
 * Every JavaScript and TypeScript block of README.md and docs/**.md runs, as
 * written: each page's blocks in order as one script, in a scratch folder,
 * with `require('dendrite')` / `import … from 'dendrite'` giving this
 * package. A block that cannot run says so in its info string (```js no-run);
 * see test/support/markdown-code.ts for the attributes. The test counts that
 * every other block ran, and a few pages' results are checked below.
 * DOCS_SHOW_OUTPUT=1 prints what each page's code printed, to compare with
 * the comments that say what it prints.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import * as ts from 'typescript';
import * as dd from '../ts/index';
import { CodeBlock, REPO_ROOT, codeBlocks, documentationPages, pageScript } from './support/markdown-code';

/** Pages whose blocks another test runs, with checks of its own. */
const RUN_ELSEWHERE: Record<string, string> = {
  'docs/viz.md': 'test/viz/docs.test.ts',
};

/** Values a page's script hands back, and what they must satisfy. */
const CHECKS: Record<string, { names: string[]; check(values: Record<string, unknown>, output: string): void }> = {
  'README.md': {
    names: ['accuracy', 'again', 'model', 'history'],
    check({ accuracy, again, model, history }) {
      expect(accuracy).toBeGreaterThan(0.7); // the example learns
      expect((history as dd.History).history.loss.length).toBeGreaterThan(0);
      const x = dd.rand([3, 1, 28, 28]);
      const out = (m: unknown) => Array.from(dd.noGrad(() => (m as dd.nn.Module).eval().call(x)).data);
      expect(out(again)).toEqual(out(model)); // the saved model loads back as it was
    },
  },
  'docs/getting-started.md': {
    names: ['accuracy'],
    check: ({ accuracy }) => expect(accuracy).toBeGreaterThan(0.7),
  },
  'docs/layers-and-modules.md': {
    names: [],
    check: (_values, output) => expect(output).toMatch(/Total params: /),
  },
};

const MARKER = '__docBlock';
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/** A console whose lines are kept instead of printed. */
function capturingConsole(lines: string[]): Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'dir' | 'table'> {
  const keep = (...args: unknown[]) => void lines.push(util.format(...args));
  return { log: keep, info: keep, warn: keep, error: keep, dir: keep, table: keep };
}

interface PageRun {
  ran: number;
  values: Record<string, unknown>;
  output: string;
}

/** Runs a page's blocks as one script in a scratch folder. */
async function runPage(blocks: CodeBlock[], returned: string[]): Promise<PageRun> {
  const script = pageScript(blocks, MARKER);
  const js = ts.transpileModule(script.source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const body = `${js}\nreturn { ${returned.join(', ')} };`;
  const run = new AsyncFunction('require', 'exports', 'console', MARKER, body);
  const output: string[] = [];
  let current = -1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-docs-'));
  const cwd = process.cwd();
  // fit's progress lines go to process.stderr: keep them with the page's output.
  const writeStderr = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => output.push(String(chunk).trimEnd()) > 0) as typeof process.stderr.write;
  process.chdir(dir);
  try {
    // The pages' own require calls (and imports, compiled to them), resolved by name at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const req = (name: string) => (name === 'dendrite' ? dd : require(name));
    const values = (await run(req, {}, capturingConsole(output), (k: number) => {
      current = k;
    })) as Record<string, unknown>;
    return { ran: current + 1, values, output: output.join('\n') };
  } catch (e) {
    const b = blocks[current];
    const where = b === undefined ? 'before its first block' : `in the block at ${b.file}:${b.line}`;
    const err = e instanceof Error ? e : new Error(String(e));
    err.message = `${where}: ${err.message}${output.length > 0 ? `\n(the page printed:\n${output.join('\n')})` : ''}`;
    throw err;
  } finally {
    process.stderr.write = writeStderr;
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const pages = documentationPages();
const tally = { run: 0, noRun: 0, elsewhere: 0, pages: 0 };

afterAll(() => {
  // The count this suite promises: every runnable block ran, or is marked no-run.
  process.stdout.write(
    `docs: ${tally.run} code blocks run, ${tally.noRun} marked no-run, ${tally.elsewhere} run by their own test, over ${tally.pages} pages\n`,
  );
});

test('the pages checked here and run elsewhere exist, and have code to run', () => {
  expect(pages).toContain('README.md');
  for (const page of [...Object.keys(CHECKS), ...Object.keys(RUN_ELSEWHERE)]) {
    expect({ page, listed: pages.includes(page) }).toEqual({ page, listed: true });
    const runnable = codeBlocks(path.join(REPO_ROOT, page)).filter((b) => b.runnable && !b.noRun);
    expect({ page, runnable: runnable.length > 0 }).toEqual({ page, runnable: true });
  }
  for (const [page, runner] of Object.entries(RUN_ELSEWHERE)) {
    expect(fs.readFileSync(path.join(REPO_ROOT, runner), 'utf8')).toContain(path.basename(page));
  }
});

describe.each(pages)('%s', (page) => {
  const blocks = codeBlocks(path.join(REPO_ROOT, page)).filter((b) => b.runnable);
  const toRun = blocks.filter((b) => !b.noRun);
  const seconds = toRun.reduce((s, b) => s + b.seconds, 10);
  tally.pages++;
  tally.noRun += blocks.length - toRun.length;

  if (RUN_ELSEWHERE[page] !== undefined) {
    test(`its blocks run in ${RUN_ELSEWHERE[page]}`, () => {
      tally.elsewhere += toRun.length;
      expect(toRun.length).toBeGreaterThan(0);
    });
    return;
  }
  if (toRun.length === 0) return;

  test(`its ${toRun.length} runnable code blocks run as written`, async () => {
    const checks = CHECKS[page];
    const { ran, values, output } = await runPage(toRun, checks?.names ?? []);
    if (process.env.DOCS_SHOW_OUTPUT) process.stdout.write(`----- ${page}\n${output}\n`);
    expect(ran).toBe(toRun.length);
    tally.run += ran;
    checks?.check(values, output);
  }, seconds * 1000);
});
