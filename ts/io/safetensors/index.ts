/** safetensors: dendrite's weight format, readable by PyTorch and Hugging Face tools. */
export { SafetensorsError } from './errors';
export { SAFETENSORS_DTYPES, DTYPE_BYTES } from './dtypes';
export type { SafetensorsDtype, WritableArray } from './dtypes';
export { MAX_HEADER_BYTES } from './header';
export type { SafetensorsHeader, TensorEntry } from './header';
export { encodeSafetensors, encodeSafetensorsChunks } from './encode';
export type { TensorToWrite, WritableDtype } from './encode';
export { decodeSafetensors, decodeSafetensorsHeader } from './decode';
export type { LoadedTensor, SafetensorsContents, DecodeOptions } from './decode';
export {
  readSafetensors, readSafetensorsSync, readSafetensorsHeader, readSafetensorsHeaderSync, writeSafetensors, writeSafetensorsSync,
} from './file';
export { floatToHalfBits, halfBitsToFloat, floatToBfloat16Bits, bfloat16BitsToFloat } from './half';
