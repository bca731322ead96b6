/**
 * Serves the SMART app's production build (smart-app/dist, Vite base `/app/`) at `/app/`. EHRs embed
 * the app in an iframe, so it carries `Content-Security-Policy: frame-ancestors` from
 * FRAME_ANCESTORS and no X-Frame-Options (SMART reference §12: frame-ancestors obsoletes it).
 */
import { existsSync } from 'node:fs';
import express, { Router } from 'express';
import helmet from 'helmet';

/** A router serving `dir`, or undefined when the app has not been built. */
export function createStaticAppRouter(
  dir: string | undefined,
  frameAncestors: readonly string[],
): Router | undefined {
  if (!dir || !existsSync(dir)) return undefined;
  const router = Router();
  router.use(
    helmet({
      // Scripts only from the app's own origin (the Vite build has no inline script and no eval),
      // none from an attribute, no plugins, no <base> pointing elsewhere: record text that ever
      // slipped into the page could not run. No fetch directives: the app talks to the EHR's FHIR
      // and authorization servers, whose origins differ per site.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc,
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: [...frameAncestors],
        },
      },
      frameguard: false,
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  router.use(express.static(dir, { index: 'index.html', fallthrough: true, maxAge: '1h' }));
  return router;
}
