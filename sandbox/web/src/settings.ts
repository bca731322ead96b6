/**
 * The EHR's settings: which CDS services it calls (by discovery URL), which EHR it imitates, and
 * how it fills prefetch. Kept in localStorage (no secrets in it); URL parameters `cds` (comma-
 * separated discovery URLs), `profile` and `prefetch` override it, so a link can set up a scenario.
 */
import type { EhrConfig, EhrProfile, PrefetchMode } from './api';

export interface EhrSettings {
  cdsServices: string[];
  profile: EhrProfile;
  prefetchMode: PrefetchMode;
  sendFhirAuthorization: boolean;
}

const STORAGE_KEY = 'rationale-sandbox-ehr-settings';

export function loadSettings(config: EhrConfig, search: string): EhrSettings {
  let stored: Partial<EhrSettings> = {};
  try {
    stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<EhrSettings>;
  } catch {
    stored = {};
  }
  const params = new URLSearchParams(search);
  const cds = params.get('cds');
  const profile = params.get('profile') ?? stored.profile;
  const prefetch = params.get('prefetch') ?? stored.prefetchMode;
  return {
    cdsServices: cds
      ? cds
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : stored.cdsServices?.length
        ? stored.cdsServices
        : config.defaultCdsServices,
    profile: config.profiles.includes(profile as EhrProfile) ? (profile as EhrProfile) : 'generic',
    prefetchMode: config.prefetchModes.includes(prefetch as PrefetchMode)
      ? (prefetch as PrefetchMode)
      : 'full',
    sendFhirAuthorization: stored.sendFhirAuthorization ?? true,
  };
}

export function saveSettings(settings: EhrSettings): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
}
