import { useState } from 'react';
import type { EhrConfig } from '../api';
import type { DiscoveryState } from '../cds-session';
import type { EhrSettings } from '../settings';

export interface SettingsPanelProps {
  config: EhrConfig;
  settings: EhrSettings;
  discovery: Record<string, DiscoveryState>;
  onChange: (settings: EhrSettings) => void;
}

const PROFILE_NOTES: Record<string, string> = {
  generic: 'CDS Hooks 2.0 as specified',
  epic: 'Epic-like: selectionBehavior "any" only, one action per suggestion, no HTML, registered SMART apps only',
  oracle: 'Oracle-like: patient-view only, appContext dropped',
};

/** CDS services by discovery URL, the EHR profile and the prefetch mode (cds-hooks.md §13.3, §13.5). */
export function SettingsPanel({ config, settings, discovery, onChange }: SettingsPanelProps) {
  const [url, setUrl] = useState('');
  return (
    <details className="settings">
      <summary>Settings</summary>
      <fieldset>
        <legend>CDS services</legend>
        <ul>
          {settings.cdsServices.map((s) => {
            const state = discovery[s];
            return (
              <li key={s}>
                <code>{s}</code>{' '}
                <span className="muted small">
                  {state?.status === 'ok' &&
                    `${state.services.length} services: ${state.services.map((x) => `${x.id} (${x.hook})`).join(', ')}`}
                  {state?.status === 'error' && `unreachable: ${state.error}`}
                  {state?.status === 'loading' && 'discovering…'}
                </span>{' '}
                <button
                  type="button"
                  onClick={() =>
                    onChange({ ...settings, cdsServices: settings.cdsServices.filter((x) => x !== s) })
                  }
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const trimmed = url.trim();
            if (trimmed && !settings.cdsServices.includes(trimmed))
              onChange({ ...settings, cdsServices: [...settings.cdsServices, trimmed] });
            setUrl('');
          }}
        >
          <label>
            Discovery URL{' '}
            <input
              type="url"
              value={url}
              placeholder="https://example.org/cds-services"
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>{' '}
          <button type="submit">Add service</button>{' '}
          <button
            type="button"
            onClick={() => onChange({ ...settings, cdsServices: config.defaultCdsServices })}
          >
            Reset to default
          </button>
        </form>
      </fieldset>
      <fieldset>
        <legend>EHR</legend>
        <label>
          EHR profile{' '}
          <select
            value={settings.profile}
            onChange={(e) => onChange({ ...settings, profile: e.target.value as EhrSettings['profile'] })}
          >
            {config.profiles.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>{' '}
        <span className="muted small">{PROFILE_NOTES[settings.profile]}</span>
        <br />
        <label>
          Prefetch mode{' '}
          <select
            value={settings.prefetchMode}
            onChange={(e) =>
              onChange({ ...settings, prefetchMode: e.target.value as EhrSettings['prefetchMode'] })
            }
          >
            {config.prefetchModes.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <input
            type="checkbox"
            checked={settings.sendFhirAuthorization}
            onChange={(e) => onChange({ ...settings, sendFhirAuthorization: e.target.checked })}
          />{' '}
          Send fhirServer and fhirAuthorization
        </label>
        <p className="muted small">
          FHIR server {config.fhirBaseUrl} · signed in as {config.userId} · SMART app {config.app.launchUrl}
        </p>
      </fieldset>
    </details>
  );
}
