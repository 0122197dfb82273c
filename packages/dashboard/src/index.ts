export { type DashboardAsset, dashboardAssetsDir, readDashboardAsset } from './assets.js';
