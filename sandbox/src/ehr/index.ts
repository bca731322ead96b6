export { createEhrRouter, DEFAULT_CDS_DISCOVERY_URL, type EhrRouterOptions } from './router';
export { EHR_PROFILES, type EhrProfile } from './conformance';
export { PREFETCH_MODES, type PrefetchMode } from './prefetch';
export { ORDER_CATALOG } from './order-catalog';
