/**
 * `gongkai pull`: a portal's incremental mirror of the published bundles, driven by the change
 * feed. See `docs/bundle-format.md` and `pullMirror`.
 */
export * from './errors.js';
export * from './format.js';
export * from './mirror-store.js';
export * from './names.js';
export * from './portal-client.js';
export * from './progress.js';
export * from './sync.js';
