/** docs/viz.md's code blocks, run as written (in order, as one script) in a scratch folder; the pictures they write are checked. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import * as ts from 'typescript';
import * as dd from '../../ts/index';
import { findAll, parseXml } from './support/xml';

const DOC = path.join(__dirname, '..', '..', 'docs', 'viz.md');

/** The ```ts blocks of the guide, joined, compiled to CommonJS and wrapped in an async function of `require`. */
function guideScript(): (req: (name: string) => unknown) => Promise<Record<string, unknown>> {
  const blocks = [...fs.readFileSync(DOC, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(8);
  const js = ts.transpileModule(blocks.join('\n'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  // What the script made, handed back for the checks below.
  return new AsyncFunction('require', 'exports', `${js}\nreturn { model, history, matrix, top, favourite, maps, written };`).bind(null) as never;
}

const png = (file: string) => PNG.sync.read(fs.readFileSync(file));

test('docs/viz.md runs as written and writes every picture it promises', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-viz-docs-'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const run = guideScript();
    // The guide's own require calls, resolved by name at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const req = (name: string) => (name === 'dendrite' ? dd : require(name));
    const made = await (run as unknown as (r: typeof req, e: object) => Promise<Record<string, unknown>>)(req, {});

    const history = made.history as dd.History;
    expect(history.history.loss).toHaveLength(2);
    const matrix = made.matrix as dd.viz.ConfusionMatrix;
    expect(matrix.total).toBe(2000);
    expect(matrix.accuracy).toBeGreaterThan(0.6);
    expect((made.maps as dd.Tensor).shape).toEqual([8, 24, 24]);
    expect(made.top as unknown[]).toHaveLength(16);
    expect(typeof made.favourite).toBe('number');

    const curves = fs.readFileSync('plots/curves.svg', 'utf8');
    for (const line of findAll(parseXml(curves), 'polyline')) expect(line.attributes.points.split(' ')).toHaveLength(2);
    parseXml(fs.readFileSync('plots/loss-and-accuracy.svg', 'utf8'));
    const cells = findAll(parseXml(fs.readFileSync('plots/confusion.svg', 'utf8')), 'rect').filter((r) => r.attributes.class === 'cell');
    expect(cells).toHaveLength(100);

    const samples = png('plots/samples.png');
    expect([samples.width, samples.height]).toEqual([8 * (56 + 2) + 2, 4 * (56 + 2) + 2]);
    const filters = png('plots/filters.png');
    expect([filters.width, filters.height]).toEqual([3 * 42 + 2, 3 * 42 + 2]); // 8 filters of 5×5 ×8, 3 per row
    const featureMaps = png('plots/feature-maps.png');
    expect([featureMaps.width, featureMaps.height]).toEqual([3 * 98 + 2, 3 * 98 + 2]);
    // The second ReLU sees 14×14 pixels: conv 5 → pool 2 → conv 5 at stride 2.
    expect(dd.viz.receptiveField(made.model as dd.nn.Module, '4')).toEqual({ size: [14, 14], stride: [2, 2], padding: [0, 0] });
    const patches = png('plots/top-patches.png');
    expect([patches.width, patches.height]).toEqual([9 * 57 + 1, 16 * 57 + 1]);
    const saliency = png('plots/saliency.png');
    expect([saliency.width, saliency.height]).toEqual([4 * (28 + 2 + 28), 4 * 28]);
    expect(png('plots/saliency-overlay.png').width).toBe(112);
    expect((made.written as string[]).map((f) => path.basename(f))).toEqual(['training-curves.svg', 'confusion-matrix.svg', 'filters.png']);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
