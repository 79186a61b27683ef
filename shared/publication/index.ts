/**
 * Publication: the immutable bundle (files, then `manifest.json`), the 索引号, Verify's checks and
 * quarantine, and the static feeds. See `docs/bundle-format.md`.
 */
export * from './bundle.js';
export * from './errors.js';
export * from './escape.js';
export * from './feeds.js';
export * from './format.js';
export * from './manifest.js';
export * from './publish.js';
export * from './render-page.js';
export * from './scan.js';
export * from './verify.js';
