/**
 * The protocol-buffers wire encoding, as much of it as ONNX files need:
 * varint fields (wire type 0), 32-bit floats (wire type 5) and
 * length-delimited strings, bytes and sub-messages (wire type 2). A message
 * collects its encoded pieces without copying them (a weight tensor's bytes
 * are appended as they are) and is flattened once, at the end.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Varint bytes of a non-negative safe integer, or of any int64 as its 64-bit two's complement (negatives take 10 bytes). */
export function varint(value: number | bigint): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: ${value} is not an integer that can be written exactly`);
    if (value >= 0) {
      const out: number[] = [];
      let v = value;
      while (v >= 0x80) {
        out.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
      }
      out.push(v);
      return Uint8Array.from(out);
    }
    value = BigInt(value);
  }
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

export class ProtoMessage {
  private readonly parts: Uint8Array[] = [];
  /** Encoded size in bytes so far. */
  byteLength = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.byteLength += bytes.byteLength;
  }

  private key(field: number, wire: number): void {
    this.push(varint(field * 8 + wire));
  }

  /** int32, int64, enum and bool fields. */
  int(field: number, value: number | bigint | boolean): this {
    this.key(field, WIRE_VARINT);
    this.push(varint(typeof value === 'boolean' ? Number(value) : value));
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    this.key(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A bytes field; `value` is kept, not copied, until toBytes(). */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE_LENGTH_DELIMITED);
    this.push(varint(value.byteLength));
    this.push(value);
    return this;
  }

  /** A sub-message field. */
  message(field: number, value: ProtoMessage): this {
    this.key(field, WIRE_LENGTH_DELIMITED);
    this.push(varint(value.byteLength));
    for (const p of value.parts) this.push(p);
    return this;
  }

  /** The encoded message. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}
