/**
 * Binary elementwise ops with NumPy broadcasting, and their scalar forms.
 * The tables below are the whole definition: the native op (by its name in
 * ts/bindings/elementwise.ts) and, per operand, the gradient in the broadcast
 * shape (summed back to the operand's shape by the shared rule).
 */
import { BinaryOpName, binaryOpCode, ScalarOpName, scalarOpCode } from '../bindings/elementwise';
import { native } from '../native';
import { broadcastShapes } from '../tensor/shape';
import { full } from '../tensor/create';
import { Tensor, uniformTensor } from '../tensor/tensor';
import { binaryKernel, sumToShape } from './broadcast';
import { checkFinite, checkTensor } from './checks';
import { apply, OpDef } from './define';
import { log, neg, sign } from './unary';


type BinaryGrad = (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor;

/** One binary op; its name (the table's key) is its native op's. */
interface BinaryEntry {
  /** d/da and d/db times g, in the broadcast shape. */
  da: BinaryGrad;
  db: BinaryGrad;
}

/** (1 + sign(a - b)) / 2: 1 where a wins, 0 where b wins, ½ on ties (as PyTorch splits them). */
const wins = (a: Tensor, b: Tensor) => mulScalar(addScalar(sign(sub(a, b)), 1), 0.5);

export const binaryTable: Record<BinaryOpName, BinaryEntry> = {
  add: { da: (g) => g, db: (g) => g },
  sub: { da: (g) => g, db: (g) => neg(g) },
  mul: { da: (g, a, b) => mul(g, b), db: (g, a) => mul(g, a) },
  div: { da: (g, a, b) => div(g, b), db: (g, a, b, y) => neg(mul(g, div(y, b))) },
  pow: {
    da: (g, a, b) => mul(g, mul(b, pow(a, sub(b, 1)))),
    db: (g, a, b, y) => mul(g, mul(y, log(a))), // needs a > 0, as the real power does for non-integer b
  },
  maximum: { da: (g, a, b) => mul(g, wins(a, b)), db: (g, a, b) => mul(g, wins(b, a)) },
  minimum: { da: (g, a, b) => mul(g, wins(b, a)), db: (g, a, b) => mul(g, wins(a, b)) },
};

type BinaryName = keyof typeof binaryTable;

const binaryDefs = Object.fromEntries(
  (Object.keys(binaryTable) as BinaryName[]).map((name) => {
    const entry = binaryTable[name];
    const def: OpDef<undefined> = {
      name,
      shape: ([a, b]) => broadcastShapes(a.shape, b.shape, name),
      forward([a, b], out, _attrs, shape) {
        binaryKernel(binaryOpCode(name), a, b, out, shape, name);
        return undefined;
      },
      backward(g, { inputs: [a, b], output, needs }) {
        return [
          needs[0] ? sumToShape(entry.da(g, a, b, output), a.shape) : null,
          needs[1] ? sumToShape(entry.db(g, a, b, output), b.shape) : null,
        ];
      },
    };
    return [name, def];
  }),
) as Record<BinaryName, OpDef<undefined>>;

type ScalarGrad = (g: Tensor, x: Tensor, s: number, y: Tensor) => Tensor;

/** g·s; a gradient carried as one number stays one (the kernel's float32 product, without the elements). */
function scaleGradient(g: Tensor, s: number): Tensor {
  const uniform = g._uniformValue();
  return uniform === null ? mulScalar(g, s) : uniformTensor(uniform * Math.fround(s), g.shape);
}

interface ScalarEntry {
  /** The public op this implements (the node's name, as gradFn shows it). */
  op: string;
  /** The native op. */
  kernel: ScalarOpName;
  dx: ScalarGrad;
}

/** x (op) s for a number s; rsub is s - x and rdiv s / x. */
export const scalarTable: Record<'addScalar' | 'mulScalar' | 'powScalar' | 'rsub' | 'rdiv' | 'maximumScalar' | 'minimumScalar', ScalarEntry> = {
  addScalar: { op: 'add', kernel: 'add', dx: (g) => g },
  mulScalar: { op: 'mul', kernel: 'mul', dx: (g, x, s) => scaleGradient(g, s) },
  powScalar: {
    op: 'pow',
    kernel: 'pow',
    dx: (g, x, s) => (s === 0 ? mulScalar(g, 0) : s === 1 ? g : mul(g, mulScalar(powScalar(x, s - 1), s))),
  },
  rsub: { op: 'sub', kernel: 'rsub', dx: (g) => neg(g) },
  rdiv: { op: 'div', kernel: 'rdiv', dx: (g, x, s, y) => neg(mul(g, div(y, x))) },
  maximumScalar: { op: 'maximum', kernel: 'maximum', dx: (g, x, s) => mul(g, mulScalar(addScalar(sign(addScalar(x, -s)), 1), 0.5)) },
  minimumScalar: { op: 'minimum', kernel: 'minimum', dx: (g, x, s) => mul(g, mulScalar(rsub(sign(addScalar(x, -s)), 1), 0.5)) },
};

type ScalarName = keyof typeof scalarTable;

const scalarDefs = Object.fromEntries(
  (Object.keys(scalarTable) as ScalarName[]).map((name) => {
    const entry = scalarTable[name];
    const def: OpDef<number> = {
      name: entry.op,
      shape: ([x]) => x.shape,
      forward([x], out, s) {
        if (out.length > 0) native().scalarOp(scalarOpCode(entry.kernel), x._f32(name), s, out);
        return undefined;
      },
      backward: (g, { inputs: [x], output, attrs: s }) => [entry.dx(g, x, s, output)],
    };
    return [name, def];
  }),
) as Record<ScalarName, OpDef<number>>;

function binary(name: BinaryName, a: Tensor, b: Tensor): Tensor {
  return apply(binaryDefs[name], [a, b], undefined);
}

function scalar(name: ScalarName, x: Tensor, s: number, op: string): Tensor {
  checkTensor(x, op, 'input', 'float32');
  return apply(scalarDefs[name], [x], checkFinite(s, op, 'scalar'));
}

/** Which of (a, b) are tensors; TypeError when neither is, or a value is neither. */
function operands(a: unknown, b: unknown, op: string): 'tt' | 'tn' | 'nt' {
  const ta = a instanceof Tensor, tb = b instanceof Tensor;
  if (ta && tb) {
    checkTensor(a, op, 'input 0', 'float32');
    checkTensor(b, op, 'input 1', 'float32');
    return 'tt';
  }
  if (ta && typeof b === 'number') return 'tn';
  if (tb && typeof a === 'number') return 'nt';
  if (!ta && !tb) throw new TypeError(`${op}: at least one operand must be a Tensor (got ${typeof a} and ${typeof b})`);
  throw new TypeError(`${op}: operands must be Tensors or numbers (got ${ta ? 'a Tensor' : typeof a} and ${tb ? 'a Tensor' : typeof b})`);
}

/** a + b (either may be a number). */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'add');
  if (kind === 'tt') return binary('add', a as Tensor, b as Tensor);
  return kind === 'tn' ? scalar('addScalar', a as Tensor, b as number, 'add') : scalar('addScalar', b as Tensor, a as number, 'add');
}

/** a - b (either may be a number). */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'sub');
  if (kind === 'tt') return binary('sub', a as Tensor, b as Tensor);
  if (kind === 'tn') return scalar('addScalar', a as Tensor, -checkFinite(b, 'sub', 'scalar'), 'sub');
  return scalar('rsub', b as Tensor, a as number, 'sub');
}

/** a · b elementwise (either may be a number). */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'mul');
  if (kind === 'tt') return binary('mul', a as Tensor, b as Tensor);
  return kind === 'tn' ? scalar('mulScalar', a as Tensor, b as number, 'mul') : scalar('mulScalar', b as Tensor, a as number, 'mul');
}

/** a / b elementwise (either may be a number; dividing by the number 0 is a RangeError). */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'div');
  if (kind === 'tt') return binary('div', a as Tensor, b as Tensor);
  if (kind === 'tn') {
    const s = checkFinite(b, 'div', 'divisor');
    if (s === 0) throw new RangeError('div: division by the number 0');
    return scalar('mulScalar', a as Tensor, 1 / s, 'div');
  }
  return scalar('rdiv', b as Tensor, a as number, 'div');
}

/** a ** b elementwise (either may be a number). */
export function pow(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'pow');
  if (kind === 'tt') return binary('pow', a as Tensor, b as Tensor);
  if (kind === 'tn') return scalar('powScalar', a as Tensor, b as number, 'pow');
  return binary('pow', full([], checkFinite(a, 'pow', 'base')), b as Tensor);
}

/** Elementwise larger of a and b (ties split the gradient evenly). */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'maximum');
  if (kind === 'tt') return binary('maximum', a as Tensor, b as Tensor);
  return kind === 'tn' ? scalar('maximumScalar', a as Tensor, b as number, 'maximum') : scalar('maximumScalar', b as Tensor, a as number, 'maximum');
}

/** Elementwise smaller of a and b (ties split the gradient evenly). */
export function minimum(a: Tensor | number, b: Tensor | number): Tensor {
  const kind = operands(a, b, 'minimum');
  if (kind === 'tt') return binary('minimum', a as Tensor, b as Tensor);
  return kind === 'tn' ? scalar('minimumScalar', a as Tensor, b as number, 'minimum') : scalar('minimumScalar', b as Tensor, a as number, 'minimum');
}

// Scalar forms used by the gradient rules above and by other families.
export function addScalar(x: Tensor, s: number): Tensor {
  return scalar('addScalar', x, s, 'add');
}
export function mulScalar(x: Tensor, s: number): Tensor {
  return scalar('mulScalar', x, s, 'mul');
}
export function powScalar(x: Tensor, s: number): Tensor {
  return scalar('powScalar', x, s, 'pow');
}
export function rsub(x: Tensor, s: number): Tensor {
  return scalar('rsub', x, s, 'sub');
}
