import { useCallback, useEffect, useState } from 'react';
import { ehrApi, type Chart, type EhrConfig, type PatientListItem } from './api';
import { useCdsSession } from './cds-session';
import { AppPanel } from './components/AppPanel';
import { CardList } from './components/CardList';
import { ChartView, PatientBanner } from './components/ChartView';
import { Inspector } from './components/Inspector';
import { OrderEntry } from './components/OrderEntry';
import { PatientList } from './components/PatientList';
import { SettingsPanel } from './components/SettingsPanel';
import { loadSettings, saveSettings, type EhrSettings } from './settings';

function useHashRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function App() {
  const [config, setConfig] = useState<EhrConfig>();
  const [settings, setSettings] = useState<EhrSettings>();
  const [error, setError] = useState<string>();
  const hash = useHashRoute();
  const patientId = /^#\/patients\/([^/]+)/.exec(hash)?.[1];

  useEffect(() => {
    ehrApi
      .config()
      .then((c) => {
        setConfig(c);
        setSettings(loadSettings(c, window.location.search));
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const changeSettings = useCallback((next: EhrSettings) => {
    saveSettings(next);
    setSettings(next);
  }, []);

  if (error) return <p role="alert">The EHR API is not available: {error}</p>;
  if (!config || !settings) return <p aria-busy="true">Loading…</p>;
  return (
    <div className="ehr">
      <nav className="topbar">
        <a href="#/" className="brand">
          Rationale sandbox EHR
        </a>
        <span className="muted small">
          profile {settings.profile} · prefetch {settings.prefetchMode}
        </span>
      </nav>
      {patientId ? (
        <ChartPage
          key={`${patientId}|${JSON.stringify(settings)}`}
          patientId={decodeURIComponent(patientId)}
          config={config}
          settings={settings}
          onSettings={changeSettings}
        />
      ) : (
        <PatientListPage />
      )}
    </div>
  );
}

function PatientListPage() {
  const [patients, setPatients] = useState<PatientListItem[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    ehrApi.patients().then(setPatients, (e: Error) => setError(e.message));
  }, []);
  return (
    <main>
      <PatientList patients={patients} error={error} />
    </main>
  );
}

interface ChartPageProps {
  patientId: string;
  config: EhrConfig;
  settings: EhrSettings;
  onSettings: (settings: EhrSettings) => void;
}

function ChartPage({ patientId, config, settings, onSettings }: ChartPageProps) {
  const [chart, setChart] = useState<Chart>();
  const [error, setError] = useState<string>();
  const [app, setApp] = useState<{ url: string; title: string; relaunch: () => Promise<string> }>();
  const session = useCdsSession(settings, patientId, config.userId);
  const { fire } = session;

  const reloadChart = useCallback(() => {
    ehrApi.chart(patientId).then(setChart, (e: Error) => setError(e.message));
  }, [patientId]);

  useEffect(() => {
    reloadChart();
    // Opening the chart is the patient-view moment.
    void fire('patient-view');
  }, [reloadChart, fire]);

  if (error) return <p role="alert">Could not open the chart: {error}</p>;
  const busy = (session.pending['patient-view'] ?? 0) > 0;
  return (
    <div className={app ? 'layout with-app' : 'layout'}>
      <main className="chart">
        {chart ? <PatientBanner chart={chart} /> : <p aria-busy="true">Loading chart…</p>}
        <SettingsPanel
          config={config}
          settings={settings}
          discovery={session.discovery}
          onChange={onSettings}
        />
        <div className="chart-grid">
          <div>
            <CardList
              session={session}
              cards={session.cardsFor(['patient-view'])}
              patientId={patientId}
              userId={config.userId}
              title="Decision support"
              busy={busy}
              rejected={session.rejectedFor(['patient-view'])}
              emptyText="No cards."
              onApplied={reloadChart}
              onLaunch={(url, title, relaunch) => setApp({ url, title, relaunch })}
            />
            <button type="button" onClick={() => void fire('patient-view')} disabled={busy}>
              Fire patient-view again
            </button>
            {chart && <ChartView chart={chart} />}
          </div>
          <div>
            <OrderEntry
              session={session}
              patientId={patientId}
              userId={config.userId}
              onSigned={reloadChart}
              onLaunch={(url, title, relaunch) => setApp({ url, title, relaunch })}
            />
            <Inspector log={session.log} />
          </div>
        </div>
      </main>
      {app && (
        <AppPanel url={app.url} title={app.title} relaunch={app.relaunch} onClose={() => setApp(undefined)} />
      )}
    </div>
  );
}
