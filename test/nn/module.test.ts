import * as dd from '../../ts/index';

const { nn } = dd;

class Block extends nn.Module {
  conv1 = new nn.Conv2d(1, 2, 3, { padding: 1 });
  act = new nn.ReLU();
  heads = [new nn.Linear(4, 3), new nn.Linear(3, 2, { bias: false })];
  scale = nn.parameter(dd.ones([1]));
  forward(x: dd.Tensor): dd.Tensor {
    return this.act.call(this.conv1.call(x)).mul(this.scale);
  }
}

test('parameters and submodules are found from fields, with dotted names in assignment order', () => {
  const m = new Block();
  expect([...m.namedParameters()].map(([n, p]) => [n, p.shape])).toEqual([
    ['scale', [1]],
    ['conv1.weight', [2, 1, 3, 3]],
    ['conv1.bias', [2]],
    ['heads.0.weight', [3, 4]],
    ['heads.0.bias', [3]],
    ['heads.1.weight', [2, 3]],
  ]);
  expect([...m.namedChildren()].map(([n]) => n)).toEqual(['conv1', 'act', 'heads.0', 'heads.1']);
  expect([...m.namedModules()].map(([n]) => n)).toEqual(['', 'conv1', 'act', 'heads.0', 'heads.1']);
  expect(m.numParameters()).toBe(1 + 18 + 2 + 12 + 3 + 6);
});

test('Sequential names its layers 0, 1, … and is indexable', () => {
  const seq = new nn.Sequential(new nn.Flatten(), new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
  expect([...seq.namedParameters()].map(([n]) => n)).toEqual(['1.weight', '1.bias', '3.weight', '3.bias']);
  expect(seq.length).toBe(4);
  expect(seq[1]).toBeInstanceOf(nn.Linear);
  expect(seq.at(-1)).toBe(seq[3]);
  expect([...seq].length).toBe(4);
  expect(() => new nn.Sequential({} as never)).toThrow(/not a Module/);
  expect(seq.toString()).toContain('(1): Linear(4, 3)');
});

test('a shared parameter is listed once, and a frozen one stays a parameter', () => {
  const a = new nn.Linear(2, 2);
  const b = new nn.Linear(2, 2);
  b.weight = a.weight;
  const seq = new nn.Sequential(a, b);
  expect(seq.parameters()).toHaveLength(3);
  a.bias!.requiresGrad = false;
  expect(seq.parameters()).toHaveLength(3);
});

test('train() and eval() set the mode of the whole tree', () => {
  const m = new Block();
  m.eval();
  expect([...m.modules()].every((x) => !x.training)).toBe(true);
  m.train();
  expect([...m.modules()].every((x) => x.training)).toBe(true);
});

test('stateDict is a snapshot, and loadStateDict restores it in place', () => {
  dd.manualSeed(1);
  const m = new Block();
  const state = m.stateDict();
  expect(Object.keys(state)).toEqual(['scale', 'conv1.weight', 'conv1.bias', 'heads.0.weight', 'heads.0.bias', 'heads.1.weight']);
  const before = Array.from(m.conv1.weight.data);
  const weight = m.conv1.weight;
  weight.data.fill(7);
  expect(Array.from(state['conv1.weight'].data)).toEqual(before);
  m.loadStateDict(state);
  expect(m.conv1.weight).toBe(weight); // same tensor: an optimizer holding it keeps working
  expect(Array.from(m.conv1.weight.data)).toEqual(before);

  dd.manualSeed(2);
  const other = new Block();
  other.loadStateDict(m.stateDict());
  for (const [[n1, p1], [n2, p2]] of [...m.namedParameters()].map((e, i) => [e, [...other.namedParameters()][i]] as const)) {
    expect(n2).toBe(n1);
    expect(Array.from(p2.data)).toEqual(Array.from(p1.data));
  }
});

test('loadStateDict reports missing, unexpected and mis-shaped entries clearly, changing nothing', () => {
  const m = new nn.Sequential(new nn.Linear(3, 2));
  const good = m.stateDict();
  const { '0.bias': _bias, ...missing } = good;
  expect(() => m.loadStateDict(missing)).toThrow(/missing keys: 0\.bias/);
  expect(() => m.loadStateDict({ ...good, extra: dd.zeros([1]) })).toThrow(/unexpected keys: extra/);
  expect(m.loadStateDict({ ...good, extra: dd.zeros([1]) }, { strict: false })).toEqual({ missingKeys: [], unexpectedKeys: ['extra'] });
  const before = Array.from((m[0] as dd.nn.Linear).weight.data);
  expect(() => m.loadStateDict({ '0.weight': dd.ones([2, 3]), '0.bias': dd.zeros([3]) })).toThrow(/0\.bias: shape \[3\] in the state dict, \[2\] in the module/);
  expect(Array.from((m[0] as dd.nn.Linear).weight.data)).toEqual(before);
  // Plain { shape, data } objects load too (what a file reader gives).
  m.loadStateDict({ '0.weight': { shape: [2, 3], data: new Float32Array(6).fill(1) }, '0.bias': { shape: [2], data: [5, 6] } });
  expect(Array.from((m[0] as dd.nn.Linear).bias!.data)).toEqual([5, 6]);
});

test('zeroGrad clears every gradient of the tree', () => {
  const m = new nn.Linear(2, 1);
  m.weight.grad = dd.ones([1, 2]);
  m.zeroGrad();
  expect(m.weight.grad).toBeNull();
});

test('registerBuffer keeps untrained state in the state dict', () => {
  class WithBuffer extends nn.Module {
    lin = new nn.Linear(2, 2);
    constructor() {
      super();
      this.registerBuffer('runningMean', dd.zeros([2]));
    }
    forward(x: dd.Tensor) {
      return this.lin.call(x);
    }
  }
  const m = new WithBuffer();
  expect(Object.keys(m.stateDict())).toEqual(['lin.weight', 'lin.bias', 'runningMean']);
  expect(m.parameters()).toHaveLength(2);
});

test('a cached op output in a field is not taken for a parameter', () => {
  class Caching extends nn.Module {
    lin = new nn.Linear(2, 2);
    last: dd.Tensor | null = null;
    forward(x: dd.Tensor) {
      this.last = this.lin.call(x);
      return this.last;
    }
  }
  const m = new Caching();
  m.call(dd.ones([1, 2]));
  expect([...m.namedParameters()].map(([n]) => n)).toEqual(['lin.weight', 'lin.bias']);
});

test('Sequential computes ReLU → MaxPool2d as pool-then-ReLU with the same values and gradients', () => {
  dd.manualSeed(3);
  const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
  const seq = new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(2));
  // Shifted down so that many 2×2 windows hold no positive value.
  const x = dd.randn([2, 2, 6, 6]).sub(0.8);
  const weights = dd.randn([2, 3, 3, 3]);
  const run = (f: (x: dd.Tensor) => dd.Tensor) => {
    seq.zeroGrad();
    const xi = x.detach();
    xi.requiresGrad = true;
    const y = f(xi);
    y.mul(weights).sum().backward();
    return { y: y.toArray(), gx: xi.grad!.toArray(), gw: conv.weight.grad!.toArray(), gb: conv.bias!.grad!.toArray() };
  };
  const fused = run((xi) => seq.forward(xi));
  const plain = run((xi) => dd.maxPool2d(dd.relu(conv.forward(xi)), 2));
  expect(fused).toEqual(plain);
  const y = fused.y as number[][][][];
  expect(y.flat(3).filter((v) => v === 0).length).toBeGreaterThan(4);
});

describe('an error inside a submodule names it', () => {
  const nested = () =>
    new nn.Sequential(new nn.Sequential(new nn.Flatten(), new nn.ReLU(), new nn.Linear(4, 3)), new nn.Linear(3, 2));

  test('dotted path and class in front, once, with the same class and the original as cause', () => {
    const model = nested();
    let caught: unknown = null;
    try {
      model.call(dd.ones([2, 5]));
    } catch (e) {
      caught = e;
    }
    const err = caught as Error & { cause: Error };
    let original: Error | null = null;
    try {
      (model[0] as dd.nn.Sequential)[2].forward(dd.ones([2, 5]));
    } catch (e) {
      original = e as Error;
    }
    expect(original).toBeInstanceOf(RangeError);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe(`0.2 (Linear): ${original!.message}`);
    expect(err.cause).toBeInstanceOf(RangeError);
    expect(err.cause.message).toBe(original!.message);
    // The stack still points where the error was thrown.
    expect(err.stack!.split('\n')[0]).toBe(`RangeError: ${err.message}`);
    expect(err.stack).toContain('matmul');
  });

  test('fields name the path of a custom module; the module called itself adds no prefix', () => {
    class Net extends nn.Module {
      body = new nn.Linear(3, 3);
      heads = [new nn.Linear(3, 2), new nn.Linear(3, 1)];
      forward(x: dd.Tensor) {
        if (x.ndim !== 2) throw new TypeError('Net: expected a 2-D input');
        const h = this.body.call(x);
        return this.heads[1].call(h.narrow(1, 0, 2)); // wrong width on purpose
      }
    }
    expect(() => new Net().call(dd.ones([1, 3]))).toThrow(/^heads\.1 \(Linear\): linear: /);
    expect(() => new Net().call(dd.ones([3]))).toThrow(new TypeError('Net: expected a 2-D input'));
    // Calling a layer directly: its own message, unprefixed.
    expect(() => new nn.Linear(4, 3).call(dd.ones([2, 5]))).toThrow(/^linear: /);
  });

  test('an error class of its own is kept, with its fields', () => {
    class ShapeProblem extends Error {
      constructor(readonly code: string, detail: string) {
        super(`shape problem: ${detail}`);
        this.name = 'ShapeProblem';
      }
    }
    class Picky extends nn.Module {
      forward(): dd.Tensor {
        throw new ShapeProblem('E_PICKY', 'never happy');
      }
    }
    const model = new nn.Sequential(new nn.Identity(), new Picky());
    let caught: unknown = null;
    try {
      model.call(dd.ones([1]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ShapeProblem);
    expect((caught as ShapeProblem).message).toBe('1 (Picky): shape problem: never happy');
    expect((caught as ShapeProblem).code).toBe('E_PICKY');
    expect(((caught as Error).cause as Error).message).toBe('shape problem: never happy');
  });
});

describe('registerBuffer', () => {
  class Norm extends nn.Module {
    running_mean!: dd.Tensor;
    running_var!: dd.Tensor;
    num_batches_tracked!: dd.Tensor;
    scratch!: dd.Tensor | null;
    weight = nn.parameter(dd.ones([2]));
    constructor() {
      super();
      this.registerBuffer('running_mean', dd.zeros([2]));
      this.registerBuffer('running_var', dd.ones([2]));
      this.registerBuffer('num_batches_tracked', dd.zeros([], { dtype: 'int32' }));
      this.registerBuffer('scratch', dd.zeros([2]), { persistent: false });
    }
    forward(x: dd.Tensor) {
      return x.sub(this.running_mean).mul(this.weight);
    }
  }

  test('sets the field; state dict names are the registered names', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2), new Norm());
    const norm = m[1] as Norm;
    expect(norm.running_var.toArray()).toEqual([1, 1]);
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect([...m.namedBuffers()].map(([n]) => n)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked', '1.scratch']);
    expect(m.stateDict()['1.num_batches_tracked'].dtype).toBe('int32');
  });

  test('the field is the source of truth: reassigning it is what the state dict sees and loads into', () => {
    const m = new Norm();
    m.running_mean = dd.tensor([5, 6]);
    expect(m.stateDict().running_mean.toArray()).toEqual([5, 6]);
    const fresh = m.running_mean;
    m.loadStateDict({ ...m.stateDict(), running_mean: dd.tensor([7, 8]) });
    expect(m.running_mean).toBe(fresh);
    expect(fresh.toArray()).toEqual([7, 8]);
    m.scratch = null;
    expect([...m.namedBuffers()].map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    (m as unknown as { running_var: number }).running_var = 3;
    expect(() => m.stateDict()).toThrow(/Norm: the buffer 'running_var' holds number; a buffer field must hold a Tensor or null/);
  });

  test('a buffer is never a parameter, even one that requires grad', () => {
    const m = new Norm();
    m.running_mean = dd.zeros([2], { requiresGrad: true });
    expect([...m.namedParameters()].map(([n]) => n)).toEqual(['weight']);
  });

  test('non-persistent buffers stay out of the state dict, and loading one is unexpected', () => {
    const m = new Norm();
    expect(Object.keys(m.stateDict())).not.toContain('scratch');
    expect(() => m.loadStateDict({ ...m.stateDict(), scratch: dd.zeros([2]) })).toThrow(/unexpected keys: scratch/);
  });

  test('names that clash are refused', () => {
    const m = new Norm();
    expect(() => m.registerBuffer('weight', dd.zeros([2]))).toThrow(/Norm\.registerBuffer: 'weight' is already a parameter/);
    expect(() => m.registerBuffer('training', dd.zeros([2]))).toThrow(/'training' is a method or property of Norm/);
    expect(() => m.registerParameter('running_mean', dd.zeros([2]))).toThrow(/'running_mean' is already a buffer/);
    expect(() => m.registerBuffer('x', dd.zeros([1]), { persistant: false } as never)).toThrow(/unknown option "persistant".*persistent/);
    expect(() => m.registerBuffer('x', [1, 2] as never)).toThrow(/'x' must be a Tensor or null/);
  });
});

test('requiresGrad_(false) freezes: parameters() still lists them, an optimizer step leaves them alone', () => {
  dd.manualSeed(5);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
  const frozen = model[0] as dd.nn.Linear;
  expect(frozen.requiresGrad_(false)).toBe(frozen);
  expect(model.parameters()).toHaveLength(4);
  const before = frozen.weight.toArray();
  const headBefore = (model[2] as dd.nn.Linear).weight.toArray();
  const opt = new dd.optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
  for (let step = 0; step < 2; step++) {
    opt.zeroGrad();
    model.call(dd.randn([5, 3])).square().mean().backward();
    opt.step();
  }
  expect(frozen.weight.grad).toBeNull();
  expect(frozen.weight.toArray()).toEqual(before);
  expect((model[2] as dd.nn.Linear).weight.toArray()).not.toEqual(headBefore);
  model.requiresGrad_();
  expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
  expect(() => model.requiresGrad_('no' as never)).toThrow(/requiresGrad_: expected a boolean/);
});
