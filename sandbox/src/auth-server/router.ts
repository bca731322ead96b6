/**
 * The SMART authorization server's HTTP edge, mounted at `/auth`: authorize (GET and POST),
 * the standalone sign-in and patient-picker steps, and the token endpoint. Discovery documents,
 * the JWKS and the style sheet are separate handlers (`wellKnownHandlers`) mounted by app.ts.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { cors } from './cors';
import { AuthorizePageError, OAuthError } from './errors';
import { errorPage, loginPage, patientPickerPage, type PersonChoice } from './pages';
import type { SmartAuthServer } from './smart-auth';

export interface AuthRouterDeps {
  auth: SmartAuthServer;
  listPractitioners(): Promise<PersonChoice[]>;
  listPatients(): Promise<PersonChoice[]>;
  /** Origins allowed by CORS on the token endpoint. */
  corsOrigins: readonly string[];
}

/** Builds the router mounted at `/auth`. */
export function createAuthRouter(deps: AuthRouterDeps): Router {
  const router = express.Router();
  const { auth } = deps;
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));

  const noStore = (res: Response): void => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  };

  const authorize = (params: Record<string, string | undefined>, res: Response): void => {
    noStore(res);
    let validated: ReturnType<SmartAuthServer['validateAuthorizeRequest']>;
    try {
      validated = auth.validateAuthorizeRequest(params);
    } catch (err) {
      if (err instanceof OAuthError && params.redirect_uri) {
        res.redirect(303, auth.errorRedirect(params.redirect_uri, params.state, err));
        return;
      }
      throw err;
    }
    const { request, launch } = validated;
    if (launch) {
      try {
        res.redirect(303, auth.completeEhrLaunch(request, launch));
      } catch (err) {
        if (err instanceof OAuthError) {
          res.redirect(303, auth.errorRedirect(request.redirectUri, request.state, err));
          return;
        }
        throw err;
      }
      return;
    }
    const id = auth.beginStandalone(request);
    res.redirect(303, `${auth.baseUrl}/auth/login?request=${encodeURIComponent(id)}`);
  };

  router.get(
    '/authorize',
    wrap((req, res) => Promise.resolve(authorize(stringParams(req.query), res))),
  );
  router.post(
    '/authorize',
    wrap((req, res) => Promise.resolve(authorize(stringParams(req.body), res))),
  );

  router.get(
    '/login',
    wrap(async (req, res) => {
      noStore(res);
      const id = stringParams(req.query).request ?? '';
      const { request } = auth.pendingRequest(id);
      res.type('html').send(
        loginPage({
          requestId: id,
          clientId: request.clientId,
          scope: request.scope,
          practitioners: await deps.listPractitioners(),
          action: 'login',
        }),
      );
    }),
  );

  router.post(
    '/login',
    wrap(async (req, res) => {
      noStore(res);
      const body = stringParams(req.body);
      const id = body.request ?? '';
      const practitioner = body.practitioner ?? '';
      const known = (await deps.listPractitioners()).some((p) => p.id === practitioner);
      if (!known) throw new AuthorizePageError('Choose a practitioner from the list.');
      const { request } = auth.signIn(id, `Practitioner/${practitioner}`);
      if (request.needsPatient) {
        res.redirect(303, `${auth.baseUrl}/auth/select-patient?request=${encodeURIComponent(id)}`);
        return;
      }
      res.redirect(303, auth.completeStandalone(id, undefined));
    }),
  );

  router.get(
    '/select-patient',
    wrap(async (req, res) => {
      noStore(res);
      const id = stringParams(req.query).request ?? '';
      auth.pendingRequest(id);
      res
        .type('html')
        .send(
          patientPickerPage({ requestId: id, patients: await deps.listPatients(), action: 'select-patient' }),
        );
    }),
  );

  router.post(
    '/select-patient',
    wrap(async (req, res) => {
      noStore(res);
      const body = stringParams(req.body);
      const patient = body.patient ?? '';
      const known = (await deps.listPatients()).some((p) => p.id === patient);
      if (!known) throw new AuthorizePageError('Choose a patient from the list.');
      res.redirect(303, auth.completeStandalone(body.request ?? '', patient));
    }),
  );

  router.use('/token', cors(deps.corsOrigins));
  router.post(
    '/token',
    wrap(async (req, res) => {
      noStore(res);
      try {
        res.status(200).json(await auth.token(stringParams(req.body)));
      } catch (err) {
        if (err instanceof OAuthError) {
          res
            .status(err.code === 'invalid_client' ? 401 : 400)
            .json({ error: err.code, error_description: err.description });
          return;
        }
        throw err;
      }
    }),
  );

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof AuthorizePageError) {
      res.status(400).type('html').send(errorPage(err.message));
      return;
    }
    if (err instanceof OAuthError) {
      res.status(400).type('html').send(errorPage(err.description));
      return;
    }
    next(err);
  });

  return router;
}

/** Handlers for the discovery documents, JWKS and style sheet (any origin may read them). */
export function wellKnownHandlers(auth: SmartAuthServer, jwks: { keys: unknown[] }) {
  return {
    smartConfiguration: (_req: Request, res: Response) => res.json(auth.smartConfiguration()),
    openidConfiguration: (_req: Request, res: Response) => res.json(auth.openidConfiguration()),
    jwks: (_req: Request, res: Response) => res.json(jwks),
    smartStyle: (_req: Request, res: Response) => res.json(SMART_STYLE),
    anyOrigin: cors('*'),
  };
}

/** The EHR's look, for apps that honour `smart_style_url` (SMART App Launch 2.2 §Styling). */
export const SMART_STYLE = {
  color_background: '#ffffff',
  color_error: '#a4161a',
  color_highlight: '#2563eb',
  color_modal_backdrop: 'rgba(15, 23, 42, 0.5)',
  color_success: '#15803d',
  color_text: '#1b1b1b',
  dim_border_radius: '6px',
  dim_font_size: '14px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

function stringParams(input: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

function wrap(handler: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}
