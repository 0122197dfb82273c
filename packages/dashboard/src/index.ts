export {
  contentSecurityPolicy,
  type DashboardAsset,
  dashboardAssetsDir,
  readDashboardAsset,
} from './assets.js';
