/**
 * dd.viz: pictures of models and training, for plain Node (no browser, no
 * canvas): PNG images of tensors, grids, filters, feature maps, top-activating
 * patches and saliency maps; SVG training curves and confusion matrices.
 */
export type { Image } from './image';
export { toPng, fromPng, savePng, loadPng } from './png';
export { imageFromTensor } from './image-from-tensor';
export type { ImageFromTensorOptions } from './image-from-tensor';
export type { ImageNormalize, GridNormalize } from './normalize';
export { makeGrid } from './grid';
export type { MakeGridOptions, GridLayoutOptions } from './grid';
export { filterGrid } from './filters';
export type { FilterGridOptions, FilterChannels } from './filters';
export type { LayerRef } from './capture';
export { featureMaps, featureMapGrid } from './feature-maps';
export type { FeatureMapGridOptions } from './feature-maps';
export { topActivations } from './top-activations';
export type { TopActivationsOptions, ChannelTopActivations } from './top-activations';
export { topPatches } from './top-patches';
export type { TopPatchesOptions, ReceptiveFieldSpec } from './top-patches';
export { receptiveField } from './receptive-field';
export type { ReceptiveField } from './receptive-field';
export { saliency } from './saliency';
export type { SaliencyOptions, SmoothGradOptions } from './saliency';
export { saliencyImage } from './saliency-image';
export type { SaliencyImageOptions } from './saliency-image';
export { trainingCurves } from './training-curves';
export type { TrainingCurvesOptions } from './training-curves';
export { compareCurves } from './compare-curves';
export type { CompareCurvesOptions } from './compare-curves';
export { saveSvg } from './svg';
export { plotCallback } from './plot-callback';
export type { PlotCallback } from './plot-callback';
export { confusionMatrix } from './confusion';
export type { ConfusionMatrix, ConfusionMatrixOptions, ConfusionNormalize } from './confusion';
export { confusionMatrixSvg } from './confusion-svg';
export type { ConfusionMatrixSvgOptions } from './confusion-svg';
export { writeTrainingPlots } from './training-plots';
export type { TrainingPlotsInput } from './training-plots';
