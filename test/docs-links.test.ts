/**
 * The documentation's links lead somewhere: every relative link of
 * README.md, CHANGELOG.md, bench/README.md and docs/** names a file of the
 * repository (and, for a Markdown file, a heading it has), and no page
 * sends the reader to files outside the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, documentationPages } from './support/markdown-code';

const pages = [...documentationPages(), 'CHANGELOG.md', 'bench/README.md'];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The targets of the page's Markdown links, outside code blocks and code spans. */
function linksOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

test.each(pages)('%s: every relative link names a file (and heading) of the repository', (page) => {
  const file = path.join(REPO_ROOT, page);
  const broken: string[] = [];
  for (const link of linksOf(file)) {
    if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
    const [target, anchor] = link.split('#');
    const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
    if (path.relative(REPO_ROOT, resolved).startsWith('..')) broken.push(`${link}: outside the repository`);
    else if (!fs.existsSync(resolved)) broken.push(`${link}: no such file`);
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${link}: no such heading`);
  }
  expect(broken).toEqual([]);
});

test.each(pages)('%s: sends no reader to files outside the repository', (page) => {
  const text = fs.readFileSync(path.join(REPO_ROOT, page), 'utf8');
  for (const outside of ['../shared', 'WORKLOADS.md']) {
    expect({ page, mentions: outside, found: text.includes(outside) }).toEqual({ page, mentions: outside, found: false });
  }
});

/** Basenames of the Python programs the repository holds (the reference programs and fixture generators). */
function pythonFilesOfRepository(): Set<string> {
  const out = new Set<string>();
  for (const dir of ['bench', 'bench/reference', 'scripts', 'examples']) {
    for (const name of fs.readdirSync(path.join(REPO_ROOT, dir))) if (name.endsWith('.py')) out.add(name);
  }
  return out;
}

test.each(pages)('%s: every Python program it names is in the repository', (page) => {
  const text = fs.readFileSync(path.join(REPO_ROOT, page), 'utf8');
  const known = pythonFilesOfRepository();
  const missing = [...new Set([...text.matchAll(/[\w-]+\.py\b/g)].map((m) => m[0]))].filter((name) => !known.has(name));
  expect({ page, missing }).toEqual({ page, missing: [] });
});
