/**
 * The embedded SMART app, as Epic and Oracle Health show it: an iframe beside the chart. The app is
 * served from another origin (127.0.0.1 while the EHR is on localhost), so storage partitioning and
 * frame-ancestors behave as they do in production (smart-app-launch.md §12).
 */
export function AppPanel({ url, title, onClose }: { url: string; title: string; onClose: () => void }) {
  return (
    <aside className="app-panel" aria-label="SMART app">
      <header>
        <strong>{title}</strong>{' '}
        <a href={url} target="_blank" rel="noopener noreferrer" className="small">
          open in a new tab
        </a>{' '}
        <button type="button" onClick={onClose}>
          Close app
        </button>
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
