/**
 * A small strict XML reader for the SVG tests: throws on anything not
 * well-formed (unclosed or mismatched tags, unquoted or repeated
 * attributes, a raw '<' or a bare '&' in text or attributes, content after
 * the root) and gives back the element tree.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const DECODED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '<') throw new Error(`XML: raw '<' in ${where}`);
    if (ch !== '&') {
      out += ch;
      continue;
    }
    const m = ENTITY.exec(raw.slice(i));
    if (m === null) throw new Error(`XML: bare '&' in ${where}: ${raw.slice(i, i + 12)}`);
    const e = m[1];
    out += e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : DECODED[e];
    i += m[0].length - 1;
  }
  return out;
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i])) i++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<?', i)) {
        const end = source.indexOf('?>', i);
        if (end < 0) throw new Error('XML: unterminated processing instruction');
        i = end + 2;
      } else if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i);
        if (end < 0) throw new Error('XML: unterminated comment');
        i = end + 3;
      } else return;
    }
  };
  const name = (): string => {
    const m = NAME.exec(source.slice(i));
    if (m === null) throw new Error(`XML: expected a name at ${i}: ${source.slice(i, i + 20)}`);
    i += m[0].length;
    return m[0];
  };
  const element = (): XmlElement => {
    if (source[i] !== '<') throw new Error(`XML: expected '<' at ${i}`);
    i++;
    const el: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new Error(`XML: expected whitespace before an attribute of <${el.name}> at ${i}`);
      const key = name();
      if (key in el.attributes) throw new Error(`XML: attribute ${key} repeated on <${el.name}>`);
      if (source[i] !== '=' || (source[i + 1] !== '"' && source[i + 1] !== "'")) throw new Error(`XML: attribute ${key} of <${el.name}> is not ="quoted"`);
      const quote = source[i + 1];
      const end = source.indexOf(quote, i + 2);
      if (end < 0) throw new Error(`XML: unterminated attribute ${key}`);
      el.attributes[key] = decode(source.slice(i + 2, end), `attribute ${key} of <${el.name}>`);
      i = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', i);
      if (next < 0) throw new Error(`XML: <${el.name}> is never closed`);
      el.text += decode(source.slice(i, next), `the text of <${el.name}>`);
      i = next;
      if (source.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) throw new Error(`XML: <${el.name}> closed by </${closing}>`);
        skipSpace();
        if (source[i] !== '>') throw new Error(`XML: bad closing tag </${closing}`);
        i++;
        return el;
      }
      if (source.startsWith('<!--', i)) {
        skipMisc();
        continue;
      }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== source.length) throw new Error(`XML: content after the root element at ${i}`);
  return root;
}

/** Every element of the tree (depth first) named `name`. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    if (el.name === name) out.push(el);
    el.children.forEach(walk);
  };
  walk(root);
  return out;
}
