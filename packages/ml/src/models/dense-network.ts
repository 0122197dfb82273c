import type * as Tf from '@tensorflow/tfjs';
import type {
  HyperParameters,
  ModelAdapter,
  ModelAdapterFactory,
  ModelJSON,
  Target,
  Task,
} from './adapter.js';
import { assertFitted, hyperNumber, hyperNumbers } from './adapter.js';
import { argMax, checkTrainingData, classListOf, encodeLabels, regressionTargets } from './classes.js';

type TfModule = typeof Tf;

interface DenseState {
  readonly modelTopology: unknown;
  readonly weightSpecs: Tf.io.WeightsManifestEntry[];
  /** All weights, concatenated as float32 bytes, base64. */
  readonly weightsBase64: string;
  /** Regression: the network predicts standardised targets; these undo it. */
  readonly targetMean?: number;
  readonly targetStd?: number;
}

/** tfjs is loaded on first use, so importing @strata/ml stays cheap for code that never trains a network. */
let tfPromise: Promise<TfModule> | undefined;
async function loadTf(): Promise<TfModule> {
  tfPromise ??= import('@tensorflow/tfjs').then(async (tf) => {
    await tf.ready();
    return tf;
  });
  return tfPromise;
}

/**
 * A small fully connected network (tfjs, pure-JS CPU backend). Hyper-parameters: hiddenUnits
 * ([16]), epochs (100), batchSize (32), learningRate (0.01, Adam), seed (42, for the weight
 * initialisers; batches are not shuffled, so training is repeatable).
 */
class DenseNetworkAdapter implements ModelAdapter {
  readonly kind = 'dense-network';
  private model: Tf.LayersModel | undefined;
  private tf: TfModule | undefined;
  private hyper: HyperParameters = {};
  private target = { mean: 0, std: 1 };
  private json: ModelJSON | undefined;
  classes: string[] | undefined;

  constructor(readonly task: Task) {}

  async fit(
    X: readonly (readonly number[])[],
    y: readonly Target[],
    hyper: HyperParameters = {},
  ): Promise<void> {
    checkTrainingData(X, y);
    const tf = await loadTf();
    this.tf = tf;
    this.hyper = { ...hyper };
    const seed = hyperNumber(hyper, 'seed', 42);
    const inputs = X[0]?.length ?? 0;
    const classification = this.task === 'classification';
    const classes = classification ? classListOf(y) : undefined;

    const model = tf.sequential();
    hyperNumbers(hyper, 'hiddenUnits', [16]).forEach((units, layer) => {
      model.add(
        tf.layers.dense({
          units,
          activation: 'relu',
          ...(layer === 0 ? { inputShape: [inputs] } : {}),
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed + layer }),
        }),
      );
    });
    model.add(
      tf.layers.dense({
        units: classes ? classes.length : 1,
        activation: classes ? 'softmax' : 'linear',
        ...(model.layers.length === 0 ? { inputShape: [inputs] } : {}),
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1000 }),
      }),
    );
    model.compile({
      optimizer: tf.train.adam(hyperNumber(hyper, 'learningRate', 0.01)),
      loss: classes ? 'categoricalCrossentropy' : 'meanSquaredError',
    });

    const xs = tf.tensor2d(X.map((row) => [...row]));
    let ys: Tf.Tensor;
    if (classes) {
      ys = tf.oneHot(tf.tensor1d(encodeLabels(y, classes), 'int32'), classes.length);
    } else {
      const targets = regressionTargets(y);
      const mean = targets.reduce((a, b) => a + b, 0) / targets.length;
      const std = Math.sqrt(targets.reduce((a, b) => a + (b - mean) ** 2, 0) / targets.length) || 1;
      this.target = { mean, std };
      ys = tf.tensor2d(targets.map((t) => [(t - mean) / std]));
    }
    try {
      await model.fit(xs, ys, {
        epochs: hyperNumber(hyper, 'epochs', 100),
        batchSize: hyperNumber(hyper, 'batchSize', 32),
        shuffle: false,
        verbose: 0,
      });
    } finally {
      xs.dispose();
      ys.dispose();
    }
    this.model?.dispose();
    this.model = model;
    this.classes = classes;
    this.json = await this.capture(tf, model);
  }

  /** Serialise through tfjs' own save path (topology + weights), weights as base64. */
  private async capture(tf: TfModule, model: Tf.LayersModel): Promise<ModelJSON> {
    let artifacts: Tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    if (!artifacts?.weightSpecs || artifacts.weightData === undefined) {
      throw new Error('dense-network: tfjs did not hand over the model weights');
    }
    const state: DenseState = {
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs,
      weightsBase64: Buffer.from(joinBuffers(artifacts.weightData)).toString('base64'),
      ...(this.task === 'regression' ? { targetMean: this.target.mean, targetStd: this.target.std } : {}),
    };
    return {
      kind: this.kind,
      task: this.task,
      ...(this.classes ? { classes: [...this.classes] } : {}),
      hyper: this.hyper,
      state: JSON.parse(JSON.stringify(state)),
    };
  }

  predict(X: readonly (readonly number[])[]): Target[] {
    const outputs = this.outputs(X);
    if (this.task === 'classification') {
      const classes = assertFitted(this.classes, this.kind);
      return outputs.map((p) => classes[argMax(p)]!);
    }
    return outputs.map(([value]) => (value ?? 0) * this.target.std + this.target.mean);
  }

  predictProba(X: readonly (readonly number[])[]): number[][] {
    if (this.task !== 'classification') throw new Error('predictProba is for classification models');
    return this.outputs(X);
  }

  private outputs(X: readonly (readonly number[])[]): number[][] {
    const model = assertFitted(this.model, this.kind);
    const tf = assertFitted(this.tf, this.kind);
    if (X.length === 0) return [];
    return tf.tidy(() => {
      const out = model.predict(tf.tensor2d(X.map((row) => [...row]))) as Tf.Tensor;
      return out.arraySync() as number[][];
    });
  }

  /** The JSON captured when training finished (or the JSON it was restored from): the model does not change after. */
  toJSON(): ModelJSON {
    return assertFitted(this.json, this.kind);
  }

  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }

  static async restore(json: ModelJSON): Promise<DenseNetworkAdapter> {
    const tf = await loadTf();
    const state = json.state as DenseState;
    const adapter = new DenseNetworkAdapter(json.task);
    const bytes = Buffer.from(state.weightsBase64, 'base64');
    adapter.model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: state.modelTopology as Tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: state.weightSpecs,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    );
    adapter.tf = tf;
    adapter.hyper = json.hyper;
    adapter.classes = json.classes ? [...json.classes] : undefined;
    adapter.target = { mean: state.targetMean ?? 0, std: state.targetStd ?? 1 };
    adapter.json = json;
    return adapter;
  }
}

function joinBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return out;
}

export const denseNetwork: ModelAdapterFactory = {
  kind: 'dense-network',
  tasks: ['classification', 'regression'],
  create: (task) => new DenseNetworkAdapter(task),
  fromJSON: (json) => DenseNetworkAdapter.restore(json),
};
