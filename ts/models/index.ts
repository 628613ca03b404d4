/** dd.models: ready-made networks. */
export { alexnet, alexnetSmall } from './alexnet';
export type { AlexNetOptions } from './alexnet';
export { fashionBnCnn } from './fashion';
export type { FashionBnOptions } from './fashion';
