/** Every page of the public site, registered in one place. */
import type { Store } from '../../store/connection.js';
import type { App } from '../api/app-types.js';
import { registerAssets, registerPage, type SitePage } from './site.js';
import { homePage } from './pages/home.page.js';
import { prisonerPages } from './pages/prisoners.page.js';
import { releasePages } from './pages/releases.page.js';
import { regionPages } from './pages/regions.page.js';
import { feedPages } from './pages/feed.page.js';
import { openDataPages, openDataRoutes } from './pages/opendata.page.js';

export const SITE_PAGES: readonly SitePage<any>[] = [homePage, ...prisonerPages, ...releasePages, ...regionPages, ...feedPages, ...openDataPages];

/** `startWaitMs`: how long a page waits for the public registry before answering 503, the site is starting. */
export function siteRoutes(app: App, store: Store, startWaitMs: number): void {
  registerAssets(app);
  for (const page of SITE_PAGES) registerPage(app, store, page, startWaitMs);
  openDataRoutes(app, store);
}
