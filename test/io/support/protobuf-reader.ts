/**
 * A minimal protocol-buffers reader for tests: splits a message into its
 * fields (varints as bigint, fixed32 as bytes, length-delimited as bytes),
 * written independently of the exporter's writer to check what it wrote.
 */
export interface Field {
  wire: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

export type Fields = Map<number, Field[]>;

export function readFields(buf: Uint8Array): Fields {
  const out: Fields = new Map();
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let f: Field;
    if (wire === 0) f = { wire, varint: readVarint() };
    else if (wire === 5) {
      f = { wire, bytes: buf.subarray(pos, pos + 4) };
      pos += 4;
    } else if (wire === 1) {
      f = { wire, bytes: buf.subarray(pos, pos + 8) };
      pos += 8;
    } else if (wire === 2) {
      const len = Number(readVarint());
      if (pos + len > buf.length) throw new Error('truncated field');
      f = { wire, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
    if (!out.has(field)) out.set(field, []);
    out.get(field)!.push(f);
  }
  return out;
}

export function str(f: Field | undefined): string {
  return f?.bytes === undefined ? '' : Buffer.from(f.bytes).toString('utf8');
}

/** An int64 varint as a signed number. */
export function int(f: Field | undefined): number {
  return f?.varint === undefined ? NaN : Number(BigInt.asIntN(64, f.varint));
}

export function sub(f: Field | undefined): Fields {
  return readFields(f?.bytes ?? new Uint8Array(0));
}

export function all(fields: Fields, n: number): Field[] {
  return fields.get(n) ?? [];
}

export function first(fields: Fields, n: number): Field | undefined {
  return fields.get(n)?.[0];
}
