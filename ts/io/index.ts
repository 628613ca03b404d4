/** dendrite.io: reading and writing weights and files safely. */
export * from './safetensors';
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write';
export type { AtomicWriteOptions, FileChunks } from './atomic-write';
export { saveTensors, saveTensorsSync, loadTensors, loadTensorsSync, encodeTensors, decodeTensors, tensorsToSafetensors } from './tensors';
export type { LoadedTensors } from './tensors';
