/**
 * CDS Hooks endpoints (STU2): discovery `GET /cds-services`, service calls
 * `POST /cds-services/{id}` and feedback `POST /cds-services/{id}/feedback`. Each requires a CDS
 * client JWT whose `aud` is the URL called (unless authentication is switched off).
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../../config';
import { CdsError } from '../../errors';
import { handleFeedback } from '../../hooks/feedback';
import { discoveryEntry, serviceById, SERVICES, type ServiceDefinition } from '../../hooks/registry';
import { answerHook } from '../../hooks/dispatch';
import type { Caller, HookDeps } from '../../hooks/types';
import { errorSummary, type Logger } from '../../logger';
import type { HookCallLog } from '../../store/store';
import { requireCdsClient, type CdsJwtVerifier, type VerifiedCaller } from '../auth';

export interface CdsRoutesDeps extends HookDeps {
  /** Absent when AUTH_REQUIRED=false. */
  verifier?: CdsJwtVerifier;
  /**
   * Reads and parses the JSON body. A hook's body may be parsed while its token's signature is
   * checked (`BodyDuringCheck`); every other body after the JWT check. A token that does not name
   * a trusted issuer, an allowed algorithm and a key id never makes the service read or parse one.
   */
  parseBody: RequestHandler;
  /** Counts the call against its authenticated client (http/rate-limit.ts); runs after the JWT check. */
  limitClient?: RequestHandler;
  /** Where each hook call's latency and status go (the monitoring page's per-hook figures). */
  callLog?: HookCallLog;
}

/**
 * Times every call to a known service, whatever it answers (a bare 401, a 400, a 412, a 500 are
 * calls too), and hands service, duration and status to the log once the answer is sent. The
 * write is queued off the answer's path; a failure is logged and costs nothing else.
 */
function timeHookCalls(callLog: HookCallLog | undefined, clock: () => Date): RequestHandler {
  return (req, res, next) => {
    const service = callLog ? serviceById(String(req.params.id)) : undefined;
    if (!callLog || !service) return next();
    const started = performance.now();
    const at = clock();
    res.once('finish', () => {
      callLog
        .recordHookCall({
          serviceId: service.id,
          hook: service.hook,
          at,
          durationMs: performance.now() - started,
          status: res.statusCode,
        })
        .catch((e: unknown) =>
          (res.locals.log as Logger | undefined)?.warn(
            { err: errorSummary(e) },
            'hook call timing not stored',
          ),
        );
    });
    next();
  };
}

/**
 * The parsed hook request, taken off `req`. Under load a request waits long enough (the JWT check,
 * other calls ahead of it) for V8 to move its `req` to the old generation, where it stays, dead,
 * until the next full collection; every young collection until then keeps alive what it points to.
 * A `req` holding the parsed record would make each young collection copy, and promote, the records
 * of calls already answered (measured at c=16: 3.4 MB copied and 2.7 MB promoted per collection,
 * against 1.4 and 0.8 MB once taken). The answer needs only the value.
 */
function takeBody(req: Request): unknown {
  const body: unknown = req.body;
  req.body = undefined;
  return body;
}

const NOT_PARSED = Symbol('not parsed');

/**
 * A hook's body, read and parsed while the caller's token signature is checked. The check waits on
 * libuv's thread pool (an ES384 verification, about half a millisecond), and the request thread
 * would wait idle meanwhile; parsing the median chart's body takes about as long. The parse starts
 * in the event loop's next check phase, once the verification has been handed to the pool, and
 * only when no other call is in its check: then the request thread has other calls to serve
 * meanwhile, and a body parsed early would be held while its call waits for the pool (`takeBody`).
 * The caller's answer is decided as before: a refused token gets its bare 401 whatever the body
 * holds, and a body that does not parse gets its 400 or 413 once the token has passed. What this
 * lets a caller without a valid token do: with a token naming a trusted issuer, an allowed
 * algorithm and a key id (public facts), have one body parsed per refused request, within the
 * failed-authentication rate limit and the body limit.
 */
class BodyDuringCheck {
  /** Calls whose signature check has started and not yet settled. */
  private readonly inCheck = new Set<Request>();
  /**
   * Parses started during a check, each settling with body-parser's error or undefined, or with
   * NOT_PARSED when the check had already ended (a token refused before its signature was checked).
   */
  private readonly parses = new WeakMap<Request, Promise<unknown>>();

  constructor(private readonly parseBody: RequestHandler) {}

  /** Called as `req`'s signature check starts. */
  readonly checkStarted = (req: Request, res: Response): void => {
    this.inCheck.add(req);
    if (this.inCheck.size > 1) return;
    this.parses.set(
      req,
      new Promise((settled) =>
        setImmediate(() =>
          this.inCheck.has(req) ? void this.parseBody(req, res, settled) : settled(NOT_PARSED),
        ),
      ),
    );
  };

  /** Called once `req`'s check has settled, whatever its result. */
  checkEnded(req: Request): void {
    this.inCheck.delete(req);
  }

  /** After the check: the parse started during it, or one now. */
  readonly parsed: RequestHandler = (req, res, next) => {
    const started = this.parses.get(req);
    if (!started) return void this.parseBody(req, res, next);
    this.parses.delete(req);
    void started.then((err) => (err === NOT_PARSED ? void this.parseBody(req, res, next) : next(err)));
  };
}

/** The external base URL of the service: PUBLIC_URL, else the request's own scheme and host. */
export function publicBase(config: Config, req: Request): string {
  return config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** `aud` values accepted for a URL: exactly it, with or without a trailing slash. */
function audiencesFor(url: string): string[] {
  return [url, `${url}/`];
}

function enabledService(config: Config, id: string): ServiceDefinition {
  const service = serviceById(id);
  if (!service || !config.services[service.hook].enabled) {
    throw new CdsError('unknown-service', `No CDS service with id "${id}"`);
  }
  return service;
}

function callerOf(config: Config, verified: VerifiedCaller | undefined): Caller {
  return verified
    ? { issuer: verified.issuer, profile: verified.profile }
    : { profile: config.defaultProfile };
}

export function createCdsServicesRouter(deps: CdsRoutesDeps): Router {
  const { config } = deps;
  const router = Router();
  const limit: RequestHandler = deps.limitClient ?? ((_req, _res, next) => next());
  const auth = (aud: (req: Request, base: string) => string[], body?: BodyDuringCheck): RequestHandler => {
    const check: RequestHandler = deps.verifier
      ? requireCdsClient(
          deps.verifier,
          (req) => aud(req, `${publicBase(config, req)}/cds-services`),
          body?.checkStarted,
        )
      : (_req, _res, next) => next();
    return (req, res, next) =>
      void check(req, res, (err?: unknown) => {
        body?.checkEnded(req);
        return err ? next(err) : void limit(req, res, next);
      });
  };
  const hookBody = new BodyDuringCheck(deps.parseBody);
  const idParam = (req: Request) => String(req.params.id);

  router.get(
    '/',
    auth((_req, base) => audiencesFor(base)),
    (_req, res) => {
      res.json({
        services: SERVICES.filter((s) => config.services[s.hook].enabled).map((s) => discoveryEntry(s)),
      });
    },
  );

  router.post(
    '/:id',
    timeHookCalls(deps.callLog, deps.clock),
    auth((req, base) => audiencesFor(`${base}/${idParam(req)}`), hookBody),
    hookBody.parsed,
    async (req, res) => {
      const service = enabledService(config, idParam(req));
      const log = res.locals.log as Logger;
      const caller = callerOf(config, res.locals.caller as VerifiedCaller | undefined);
      const appLaunchUrl = config.smartAppLaunchUrl ?? `${publicBase(config, req)}/app/launch.html`;
      const response = await answerHook(service, takeBody(req), { caller, appLaunchUrl, logger: log }, deps);
      res.json(response);
    },
  );

  router.post(
    '/:id/feedback',
    // SBX sets aud to …/{id}/feedback; others use the service URL itself.
    auth((req, base) => [
      ...audiencesFor(`${base}/${idParam(req)}/feedback`),
      ...audiencesFor(`${base}/${idParam(req)}`),
    ]),
    deps.parseBody,
    async (req, res) => {
      const service = enabledService(config, idParam(req));
      const log = res.locals.log as Logger;
      const caller = callerOf(config, res.locals.caller as VerifiedCaller | undefined);
      await handleFeedback(service, req.body, { caller, logger: log }, deps);
      res.status(200).json({});
    },
  );

  return router;
}
