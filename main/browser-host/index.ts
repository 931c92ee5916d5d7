export { startBrowserHost, TRPC_WS_PATH } from './host';
export type { BrowserHost, BrowserHostOptions, HostedCore } from './host';
