/** The W6 MLP and W7 CNN of ../shared/bench/WORKLOADS.md, as dd.nn Sequentials. */
import * as dd from '../../ts/index';

const { nn } = dd;

/** W6: 784-512-256-10, ReLU, dropout 0.5 after each hidden layer. */
export function w6Mlp(): dd.nn.Sequential {
  return new nn.Sequential(
    new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Linear(512, 256), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Linear(256, 10),
  );
}

/** W7: conv 1->32 k3 pad1, ReLU, maxpool 2; conv 32->64 k3 pad1, ReLU, maxpool 2; flatten 3136; dense 128, ReLU; dropout 0.5; dense 10. */
export function w7Cnn(): dd.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(3136, 128), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Linear(128, 10),
  );
}
