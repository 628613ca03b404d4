/** What `fit` returns: the logs of every epoch, as Keras's History. */
export class History {
  /** Epoch indices (0-based) that were run. */
  readonly epoch: number[] = [];
  /** Per-epoch values by name: `loss`, `accuracy`, `val_loss`, `val_accuracy`, `lr`, … */
  readonly history: Record<string, number[]> = {};
  /** The settings `fit` ran with (epochs, batch size, steps per epoch, …). */
  readonly params: Record<string, unknown>;
  /** The epoch (0-based) after which a callback stopped training early; undefined when every epoch ran. */
  stoppedEpoch?: number;
  /** Why training stopped early, in words (set by the callback that stopped it). */
  stopReason?: string;

  constructor(params: Record<string, unknown> = {}) {
    this.params = params;
  }

  /** Appends one epoch's logs (values missing in that epoch are recorded as NaN so columns stay aligned). */
  record(epoch: number, logs: Record<string, number>): void {
    const index = this.epoch.length;
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      if (!(k in this.history)) this.history[k] = new Array(index).fill(NaN);
      this.history[k].push(v);
    }
    for (const k of Object.keys(this.history)) if (this.history[k].length === index) this.history[k].push(NaN);
  }
}
