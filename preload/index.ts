// The preload bridge is built in the Electron shell issue; it exposes the tRPC channel and nothing else.
export {};
