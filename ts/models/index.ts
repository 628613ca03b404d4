/** dd.models: ready-made networks. */
export { alexnet, alexnetSmall } from './alexnet';
export type { AlexNetOptions } from './alexnet';
export { fashionMlp, fashionCnn, fashionBnCnn, fashionBnRecipe } from './fashion';
export type { FashionBnOptions, FashionBnRecipeOptions } from './fashion';
