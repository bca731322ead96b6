/**
 * The site icon, so browsers asking for `/favicon.ico` (every page, the monitoring page, a JSON
 * URL opened by hand) get an answer instead of a 404 in the console and the logs.
 */
import type { Request, Response } from 'express';

/** A rounded square with an "R", as the CDS service serves it. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4ed8"/><text x="16" y="23" font-family="system-ui,sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="#fff">R</text></svg>';

/** Serves the icon (SVG, which every current browser takes at any path), cached for a day. */
export function serveFavicon(_req: Request, res: Response): void {
  res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(FAVICON_SVG);
}
