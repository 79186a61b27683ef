/**
 * The drafter's pages and the portal preview: server-rendered HTML (zh-CN, no script, no external
 * resource, 长者版) over the same use cases as the JSON API.
 */
export * from './layout.js';
export { type DrafterPageContext, renderBundlePage, renderCatalogPage, renderStatusPage } from './pages.js';
export * from './session.js';
export * from './submission-form.js';
export * from './web-app.js';
