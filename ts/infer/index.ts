/** Inference sessions: models compiled for fast evaluation (see session.ts). */
export { compileForInference, InferenceSession } from './session';
export type { CompileOptions } from './session';
