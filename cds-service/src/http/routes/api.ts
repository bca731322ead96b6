/**
 * The service API the SMART app uses (issue 5 item 4; DESIGN.md §1). Every patient-bearing call
 * carries the app's SMART access token as `Authorization: Bearer`; access is proven by reading the
 * Patient with it from the assessment's (allowlisted) FHIR server. No token: 401. Refused by the
 * FHIR server, or a server not on the allowlist: 403. The token is never stored or logged.
 * `GET /api/model-card` describes the model, not a patient, and needs no token.
 */
import { Router, type Request, type Response } from 'express';
import {
  appFeedbackRequestSchema,
  createAssessmentRequestSchema,
  fhirIdSchema,
  type Assessment,
  type ModelCard,
} from '@rationale/shared-types';
import type { PatientAccessChecker } from '../../app-api/patient-access';
import type { Config } from '../../config';
import { CdsError } from '../../errors';
import type { FhirAllowlist } from '../../fhir/allowlist';
import type { FhirGateway } from '../../fhir/fhir-gateway';
import { assessPatient, storeLateLlm, type AssessFn } from '../../assessment';
import { gatherResources, normalizePatientId } from '../../fhir/record';
import { serviceById, SUPPLEMENTARY_PREFETCH_KEYS } from '../../hooks/registry';
import { parseOrThrow, withSafeText } from '../../hooks/validation';
import type { LlmEnricher } from '../../llm/types';
import type { SiteModel } from '../../assessment/site-model-step';
import { siteModelCard } from '../../site-models/model-card';
import type { Logger } from '../../logger';
import type {
  AssessmentStore,
  AuditEvent,
  AuditLog,
  FeedbackStore,
  StoredAssessment,
} from '../../store/store';
import { bearerToken } from '../auth';

/** model/model-card.ts: the HTI-1 source attributes, with the LLM described when one is configured. */
export type ModelCardFn = (options: { llm?: { model: string; promptVersion: string } }) => ModelCard;

export interface AppApiDeps {
  config: Config;
  store: Pick<
    AssessmentStore,
    'getAssessment' | 'latestAssessmentFor' | 'saveAssessment' | 'saveLlmAdditions'
  > &
    Pick<FeedbackStore, 'saveAppFeedback'> &
    AuditLog;
  gateway: FhirGateway;
  allowlist: FhirAllowlist;
  access: PatientAccessChecker;
  assess: AssessFn;
  modelCard: ModelCardFn;
  llm?: LlmEnricher;
  /** The site's own models (configuration `models`). */
  siteModels?: readonly SiteModel[];
  clock: () => Date;
  newId: () => string;
}

/** RFC 6750 §2.1 `b64token`: what a bearer access token may look like; anything else is not one. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The app's bearer token, refused (401) when absent or not even shaped like an access token, so a
 * junk string never reaches the FHIR server.
 */
function tokenOf(req: Request): string {
  const token = bearerToken(req.get('authorization'));
  if (!token || token.length > 8192 || !B64TOKEN.test(token))
    throw new CdsError('unauthorized', 'Unauthorized');
  return token;
}

/** The stored assessment, with its id, as the app reads it. */
function asResponse(stored: StoredAssessment): Assessment {
  return { ...stored.assessment, id: stored.assessment.id };
}

export function createAppApiRouter(deps: AppApiDeps): Router {
  const router = Router();
  /**
   * The allowlisted base a lookup is about: the one named (403 naming the allowlist when it is not
   * on it), else the only base configured; with several, the caller must say which (patient ids
   * are unique only per FHIR server).
   */
  const fhirServerOf = (value: unknown): string => {
    if (typeof value === 'string' && value.length > 0) {
      const base = deps.allowlist.match(value);
      if (!base)
        throw new CdsError('forbidden', 'fhirServer is not on the allowlist', { expression: ['fhirServer'] });
      return base;
    }
    const only = deps.allowlist.onlyBase();
    if (!only)
      throw new CdsError(
        'invalid-request',
        'fhirServer is required: patient ids are unique only per FHIR server',
        {
          expression: ['fhirServer'],
        },
      );
    return only;
  };
  const log = (res: { locals: Record<string, unknown> }) => res.locals.log as Logger;
  const audit = (event: Omit<AuditEvent, 'at'>, logger: Logger) =>
    deps.store
      .audit({ at: deps.clock(), ...event })
      .catch(() => logger.warn({ action: event.action }, 'audit event not stored'));

  /** Checks that the token may read the patient; a refusal is audited as a denied read, then thrown. */
  const readableBy = async (
    token: string,
    fhirServer: string | undefined,
    patientId: string,
    assessmentId: string | undefined,
    res: Response,
  ) => {
    try {
      await deps.access.check(token, fhirServer, patientId);
    } catch (e) {
      await audit({ action: 'app-read', assessmentId, patientId, outcome: 'denied' }, log(res));
      throw e;
    }
  };
  /** Answers with a stored assessment, the read audited. */
  const sendRead = async (stored: StoredAssessment, res: Response) => {
    const { patientId, assessment } = stored;
    await audit({ action: 'app-read', assessmentId: assessment.id, patientId, outcome: 'ok' }, log(res));
    res.json(asResponse(stored));
  };

  router.get('/model-card', (_req, res) => {
    const card = deps.modelCard({ llm: deps.llm?.describe() });
    const siteModels = deps.siteModels?.map((m) => siteModelCard(m.spec)) ?? [];
    res.json(siteModels.length ? { ...card, siteModels } : card);
  });

  router.get('/assessments/:id', async (req, res) => {
    const token = tokenOf(req);
    const stored = await deps.store.getAssessment(req.params.id);
    if (!stored)
      throw new CdsError('not-found', 'No assessment with this id (it may have passed its retention period)');
    await readableBy(token, stored.fhirServer, stored.patientId, stored.assessment.id, res);
    await sendRead(stored, res);
  });

  /**
   * The latest assessment for a patient: Oracle Health drops appContext, so the app looks it up.
   * The token is verified against the FHIR server (reading the Patient) before the store is asked,
   * so a caller who may not see the patient gets the same answer whether or not the patient was
   * ever assessed (issue 18); only then does "not assessed" become a 404.
   */
  router.get('/assessments', async (req, res) => {
    const token = tokenOf(req);
    const patient = normalizePatientId(parseOrThrow(fhirIdSchema, req.query.patient, 'patient'));
    const fhirServer = fhirServerOf(req.query.fhirServer);
    await readableBy(token, fhirServer, patient, undefined, res);
    const stored = await deps.store.latestAssessmentFor(patient, fhirServer);
    if (!stored) throw new CdsError('not-found', 'No assessment for this patient');
    await sendRead(stored, res);
  });

  /** A fresh assessment, read from the FHIR server with the app's token (standalone launch). */
  router.post('/assessments', async (req, res) => {
    const token = tokenOf(req);
    const body = parseOrThrow(createAssessmentRequestSchema, req.body);
    const fhirServer = deps.allowlist.match(body.fhirServer);
    if (!fhirServer)
      throw new CdsError('forbidden', 'fhirServer is not on the allowlist', { expression: ['fhirServer'] });
    const patientId = normalizePatientId(body.patient);
    await deps.access.check(token, fhirServer, patientId);
    const service = serviceById('rationale-patient-view');
    if (!service) throw new Error('patient-view service missing from the registry');
    const gathered = await gatherResources(
      {
        templates: service.prefetch,
        context: { patientId },
        patientId,
        fhirServer,
        accessToken: token,
        supplementary: SUPPLEMENTARY_PREFETCH_KEYS,
      },
      {
        gateway: deps.gateway,
        timeoutMs: Math.max(deps.config.fhir.timeoutMs, 5000),
        maxResources: deps.config.fhir.maxResources,
      },
    );
    const now = deps.clock();
    const { assessment, lateLlm } = await assessPatient(
      { data: { patientId, resources: gathered.resources, dataQuality: gathered.report.dataQuality }, now },
      {
        assess: deps.assess,
        settings: deps.config.modelSettings,
        llm: deps.llm,
        newId: deps.newId,
        ...(deps.siteModels ? { siteModels: deps.siteModels } : {}),
      },
    );
    const saved = deps.store.saveAssessment({ assessment, fhirServer, patientId, createdAt: now });
    if (lateLlm) storeLateLlm(deps.store, assessment.id, saved, lateLlm, log(res));
    await saved;
    await audit({ action: 'app-assess', assessmentId: assessment.id, patientId, outcome: 'ok' }, log(res));
    log(res).info(
      { assessmentId: assessment.id, resources: gathered.resources.length },
      'assessment computed for the app',
    );
    res.status(201).json(assessment);
  });

  router.post('/feedback', async (req, res) => {
    const token = tokenOf(req);
    const body = parseOrThrow(appFeedbackRequestSchema, withSafeText(req.body));
    const stored = await deps.store.getAssessment(body.assessmentId);
    if (!stored)
      throw new CdsError('not-found', 'No assessment with this id', { expression: ['assessmentId'] });
    await deps.access.check(token, stored.fhirServer, stored.patientId);
    const recordedAt = deps.clock();
    const { id } = await deps.store.saveAppFeedback(body, recordedAt);
    await audit(
      { action: 'app-feedback', assessmentId: body.assessmentId, patientId: stored.patientId, outcome: 'ok' },
      log(res),
    );
    res.status(201).json({ id, recordedAt: recordedAt.toISOString() });
  });

  return router;
}
