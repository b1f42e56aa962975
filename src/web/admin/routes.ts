/** Every workspace page, registered in one place. */
import type { Store } from '../../store/connection.js';
import type { App } from '../api/app-types.js';
import { registerAdminAssets, registerAdminRoutes, withForms, type AdminRoute } from './admin.js';
import { signInRoutes } from './pages/sign-in.page.js';
import { dashboardRoutes } from './pages/dashboard.page.js';
import { personRoutes } from './pages/persons.page.js';
import { historyRoutes } from './pages/history.page.js';
import { reviewRoutes } from './pages/review.page.js';
import { duplicateRoutes } from './pages/duplicates.page.js';
import { importRoutes } from './pages/import.page.js';
import { reconcileRoutes } from './pages/reconcile.page.js';
import { eventRoutes } from './pages/events.page.js';
import { caseRoutes } from './pages/cases.page.js';
import { facilityRoutes } from './pages/facilities.page.js';
import { sourceRoutes } from './pages/sources.page.js';
import { dealRoutes } from './pages/deals.page.js';
import { reportRoutes } from './pages/reports.page.js';
import { accountRoutes } from './pages/account.page.js';
import { letterRoutes } from './pages/letters.page.js';

export const ADMIN_ROUTES: readonly AdminRoute[] = [...dashboardRoutes, ...personRoutes, ...historyRoutes, ...reviewRoutes, ...duplicateRoutes, ...importRoutes,
  ...eventRoutes, ...caseRoutes, ...facilityRoutes, ...sourceRoutes, ...dealRoutes, ...reconcileRoutes, ...reportRoutes, ...accountRoutes, ...letterRoutes];

export async function adminRoutes(app: App, store: Store): Promise<void> {
  await withForms(app, (scope) => {
    registerAdminAssets(scope);
    signInRoutes(scope, store);
    registerAdminRoutes(scope, store, ADMIN_ROUTES);
  });
}
