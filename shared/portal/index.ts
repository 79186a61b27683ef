/** The portal's read-only API: catalog pages, the change feed, manifests and files, with ETags. */
export * from './errors.js';
export * from './etag.js';
export * from './portal.js';
