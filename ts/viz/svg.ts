/**
 * SVG written as text, no dependency: elements with escaped attributes and
 * text, a document wrapper, and an atomic save (a plot refreshed every epoch
 * is never seen half written).
 */
import { writeFileAtomic } from '../io/atomic-write';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/** A coordinate or size with at most two decimals (SVG files stay small and diffable). */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export type Attributes = Record<string, string | number | undefined>;

/** One element; `content` is markup (already escaped), undefined for an empty element. */
export function element(name: string, attributes: Attributes, content?: string): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v as string)}"`)
    .join('');
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

/** A text element holding `text` (escaped here). */
export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return element('text', { x, y, ...attributes }, escapeXml(content));
}

/** A whole SVG document of the given size around `body`. */
export function svgDocument(width: number, height: number, body: readonly string[]): string {
  const head = element('rect', { x: 0, y: 0, width, height, fill: 'white' });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    'font-family="Helvetica, Arial, sans-serif" font-size="12">\n' +
    [head, ...body].join('\n') +
    '\n</svg>\n'
  );
}

/** Writes an SVG document (a string) to `file`, atomically. */
export async function saveSvg(svg: string, file: string): Promise<void> {
  if (typeof svg !== 'string' || !svg.includes('<svg')) throw new TypeError('saveSvg: svg must be an SVG document string (as trainingCurves returns)');
  if (typeof file !== 'string' || file === '') throw new TypeError('saveSvg: file must be a non-empty path string');
  await writeFileAtomic(file, Buffer.from(svg, 'utf8'));
}
