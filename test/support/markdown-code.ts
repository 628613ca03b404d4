/**
 * The code blocks of the Markdown documentation, as the docs tests run them.
 *
 * A fenced block's info string is its language, then attributes:
 *   ```ts                 runs (so does js)
 *   ```js no-run          shown only: a shell session, a server that listens
 *                         forever, an Electron main process, a fragment
 *   ```ts timeout=60      runs, and may take up to 60 s (default 30 s)
 * Blocks in other languages (sh, json, text, python, none) are never run.
 * The runnable blocks of one page run in order as one script, so a later
 * block uses what an earlier one defined, as a reader does.
 */
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.join(__dirname, '..', '..');

/** The languages whose blocks run. */
const RUNNABLE = new Set(['js', 'javascript', 'ts', 'typescript']);

/** Seconds a block may take unless it says otherwise. */
export const DEFAULT_BLOCK_SECONDS = 30;

export interface CodeBlock {
  /** The page, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  code: string;
  /** Whether the block is JavaScript or TypeScript (the only blocks that run). */
  runnable: boolean;
  /** Marked `no-run`: shown, never run. */
  noRun: boolean;
  /** Seconds it may take. */
  seconds: number;
}

/** The attributes a runnable block's info string may carry; anything else is a typo to report. */
function readAttributes(words: string[], where: string): { noRun: boolean; seconds: number } {
  let noRun = false;
  let seconds = DEFAULT_BLOCK_SECONDS;
  for (const w of words) {
    const timeout = /^timeout=(\d+)$/.exec(w);
    if (w === 'no-run') noRun = true;
    else if (timeout) seconds = Number(timeout[1]);
    else throw new Error(`${where}: unknown code-block attribute ${JSON.stringify(w)} (known: no-run, timeout=SECONDS)`);
  }
  return { noRun, seconds };
}

/** Every fenced block of a Markdown file (indented fences, inside lists, included). */
export function codeBlocks(file: string): CodeBlock[] {
  const rel = path.relative(REPO_ROOT, file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [language = '', ...words] = open[2].trim().split(/\s+/).filter((w) => w !== '');
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^ *```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    if (j === lines.length) throw new Error(`${rel}:${i + 1}: the code block opened here is never closed`);
    const runnable = RUNNABLE.has(language);
    const attributes = runnable ? readAttributes(words, `${rel}:${i + 1}`) : { noRun: false, seconds: 0 };
    blocks.push({ file: rel, line: i + 1, language, code: body.join('\n'), runnable, ...attributes });
    i = j;
  }
  return blocks;
}

/** README.md and every Markdown page under docs/, relative to the repository root, sorted. */
export function documentationPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) pages.push(rel);
    }
  };
  walk('docs');
  return pages.sort();
}

/** One page's runnable blocks joined into one script, with a call marking where each block starts. */
export interface PageScript {
  source: string;
  blocks: CodeBlock[];
  /** For each line of `source` (0-based), the Markdown line it came from (1-based), or 0 for a marker line. */
  markdownLine: number[];
}

/** The page's blocks to run, in order, each preceded by `${marker}(index);` on a line of its own. */
export function pageScript(blocks: readonly CodeBlock[], marker: string): PageScript {
  const lines: string[] = [];
  const markdownLine: number[] = [];
  blocks.forEach((b, k) => {
    lines.push(`${marker}(${k});`);
    markdownLine.push(0);
    b.code.split('\n').forEach((l, n) => {
      lines.push(l);
      markdownLine.push(b.line + 1 + n);
    });
  });
  return { source: lines.join('\n'), blocks: [...blocks], markdownLine };
}
