export { EXPORTS_PATH, startBrowserHost, TRPC_WS_PATH } from './host';
export type { BrowserHost, BrowserHostOptions, HostedCore } from './host';
export { ensureRendererBuilt } from './renderer-build';
export { LAUNCH_TOKEN_FILE, profileLaunchToken, type ProfileLaunchToken } from './launch-token';
