/**
 * The plots, loaded after the first paint: Observable Plot and d3 are about a third of the app's
 * JavaScript, and the reasoning text must not wait for them (launch → first paint ≤ 1.5 s).
 */
import { lazy, Suspense, type ComponentProps } from 'react';

const LazyTrendPlot = lazy(() => import('./plots').then((m) => ({ default: m.TrendPlot })));
const LazyFindingTimeline = lazy(() => import('./plots').then((m) => ({ default: m.FindingTimeline })));

function Drawing() {
  return <p className="muted">Drawing…</p>;
}

/** A trend plot, drawn once the plotting code has arrived. */
export function TrendPlot(props: ComponentProps<typeof LazyTrendPlot>) {
  return (
    <Suspense fallback={<Drawing />}>
      <LazyTrendPlot {...props} />
    </Suspense>
  );
}

/** A findings timeline, drawn once the plotting code has arrived. */
export function FindingTimeline(props: ComponentProps<typeof LazyFindingTimeline>) {
  return (
    <Suspense fallback={<Drawing />}>
      <LazyFindingTimeline {...props} />
    </Suspense>
  );
}
