import { useState } from 'react';

/**
 * The embedded SMART app, as Epic and Oracle Health show it: an iframe beside the chart. The app is
 * served from another origin (127.0.0.1 while the EHR is on localhost), so storage partitioning and
 * frame-ancestors behave as they do in production (smart-app-launch.md §12).
 *
 * "Open in a new tab" asks the EHR for a fresh launch: the iframe's launch code has been spent
 * (single use), so reusing its URL would fail, as it would in a real EHR. The tab is opened at once
 * (inside the click, so no popup blocker stops it) and sent to the new launch URL when it arrives.
 */
export function AppPanel({
  url,
  title,
  relaunch,
  onClose,
}: {
  url: string;
  title: string;
  relaunch: () => Promise<string>;
  onClose: () => void;
}) {
  const [error, setError] = useState<string>();
  async function openInNewTab() {
    setError(undefined);
    const tab = window.open('', '_blank');
    if (tab) tab.opener = null;
    try {
      const fresh = await relaunch();
      if (tab) tab.location.href = fresh;
      else window.open(fresh, '_blank', 'noopener');
    } catch (e) {
      tab?.close();
      setError(`A new launch could not be created: ${(e as Error).message}`);
    }
  }
  return (
    <aside className="app-panel" aria-label="SMART app">
      <header>
        <strong>{title}</strong>{' '}
        <button type="button" className="link-button small" onClick={() => void openInNewTab()}>
          open in a new tab
        </button>{' '}
        <button type="button" onClick={onClose}>
          Close app
        </button>
        {error ? (
          <p role="alert" className="small error">
            {error}
          </p>
        ) : null}
      </header>
      <iframe
        title="SMART app"
        src={url}
        sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
      />
    </aside>
  );
}
