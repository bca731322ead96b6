/**
 * CORS as SMART asks (App Launch 2.2 §Conformance): any origin on discovery endpoints; only the
 * registered apps' origins (and the sandbox's own) on the token and FHIR endpoints. Preflights
 * are answered here with 204.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const ALLOWED_HEADERS =
  'Authorization, Content-Type, Accept, Prefer, If-Match, If-None-Exist, If-None-Match, X-Requested-With';
const EXPOSED_HEADERS = 'Location, ETag, Last-Modified, Content-Location, WWW-Authenticate';

/** `origins`: exact origins allowed, or `*` for any. */
export function cors(origins: readonly string[] | '*'): RequestHandler {
  const allowed = origins === '*' ? undefined : new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && (!allowed || allowed.has(origin))) {
      res.setHeader('Access-Control-Allow-Origin', allowed ? origin : '*');
      if (allowed) res.append('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.status(204).end();
      return;
    }
    next();
  };
}

/** The origin (`scheme://host:port`) of an absolute URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
