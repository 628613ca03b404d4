/**
 * Bounded gzip decompression for data files: the first bytes are inflated on
 * their own so the caller can read the format's header, learn exactly how
 * large the file must be, and then inflate the whole stream with that as a
 * hard limit. A corrupt header or a "zip bomb" therefore cannot make us
 * allocate more than the header states (and that is checked against a cap).
 */
import * as zlib from 'zlib';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompressed bytes at the start of a gzip stream (up to what the first 64 KiB of input give). */
export function gunzipPrefix(compressed: Uint8Array): Uint8Array {
  return zlib.gunzipSync(compressed.subarray(0, 65536), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

function tooLarge(e: unknown): boolean {
  return e instanceof RangeError || (e as { code?: string })?.code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * The whole stream, inflated with `expectedBytes` as the cap. Returns null when
 * the stream holds more than that, so the caller can name the problem.
 */
export function gunzipBoundedSync(compressed: Uint8Array, expectedBytes: number): Uint8Array | null {
  try {
    return zlib.gunzipSync(compressed, { maxOutputLength: Math.max(1, expectedBytes) });
  } catch (e) {
    if (tooLarge(e)) return null;
    throw e;
  }
}

/**
 * As gunzipBoundedSync, streaming into one array of `expectedBytes` made up
 * front: the peak is that array plus one chunk, where collecting chunks and
 * joining them would hold the data twice. The array's pages are only touched
 * as data arrives, so a header that overstates its size costs nothing.
 */
export function gunzipBounded(compressed: Uint8Array, expectedBytes: number): Promise<Uint8Array | null> {
  const out = new Uint8Array(expectedBytes);
  let at = 0;
  let over = false;
  const gunzip = zlib.createGunzip();
  return new Promise((resolve, reject) => {
    gunzip.on('data', (chunk: Buffer) => {
      if (over) return;
      if (at + chunk.length > expectedBytes) {
        over = true;
        gunzip.destroy();
        resolve(null);
        return;
      }
      out.set(chunk, at);
      at += chunk.length;
    });
    gunzip.on('end', () => resolve(at === expectedBytes ? out : out.subarray(0, at)));
    gunzip.on('error', (e) => {
      if (!over) reject(e);
    });
    gunzip.end(compressed);
  });
}
