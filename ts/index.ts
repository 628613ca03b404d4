/** dendrite: deep learning for Node.js. */
export { backendInfo, setNumThreads, getNumThreads, setIsa, releaseWorkspace } from './backend';
export type { BackendInfo } from './backend';
