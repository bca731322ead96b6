/**
 * The SMART App Launch 2.2 authorization server's logic, free of Express: authorization
 * requests (EHR launch and standalone), codes, tokens, refresh, launch handles, service tokens
 * for CDS Hooks `fhirAuthorization`, and CDS Hooks client JWTs. State lives in memory; time
 * comes from the injected clock.
 *
 * Strict where public test servers are lenient: PKCE S256 required (no `plain`), codes
 * single-use and short-lived (reuse revokes every token issued from the code), exact
 * redirect_uri match, `aud` must be the FHIR base, launch handles single-use, refresh tokens
 * rotate (reuse revokes the grant).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { LaunchContext, ServiceTokenRequest } from '../contracts';
import type { RegisteredApp, ScopeDowngrade } from '../config';
import { AuthorizePageError, OAuthError } from './errors';
import type { Keyring } from './keys';
import { parseResourceScope, parseScopes, restrictScope, type Permission } from './scopes';

export type Clock = () => number;

export interface SmartAuthOptions {
  baseUrl: string;
  fhirBaseUrl: string;
  keys: Keyring;
  clients: readonly RegisteredApp[];
  clock?: Clock;
  scopeDowngrade?: ScopeDowngrade;
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  launchTtlSeconds?: number;
  /** Lifetime of pending standalone logins (seconds). */
  pendingTtlSeconds?: number;
  /** Refresh-token lifetimes (seconds): `online_access` and `offline_access`. */
  onlineRefreshTtlSeconds?: number;
  offlineRefreshTtlSeconds?: number;
}

/** A validated authorization request waiting for the user (standalone) or ready for a code. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  /** Granted scopes (space-separated), after filtering and any configured downgrade. */
  scope: string;
  nonce?: string;
  /** Standalone: the app asked the user to pick a patient (`launch/patient`). */
  needsPatient: boolean;
}

export interface GrantContext {
  /** `Practitioner/id`. */
  user: string;
  patient?: string;
  encounter?: string;
  appContext?: string;
  needPatientBanner: boolean;
  smartStyleUrl: string;
  intent?: string;
  fhirContext?: LaunchContext['fhirContext'];
}

interface CodeRecord {
  request: AuthorizationRequest;
  context: GrantContext;
  grantId: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshRecord {
  clientId: string;
  scope: string;
  context: GrantContext;
  grantId: string;
  expiresAt: number;
  used: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
  encounter?: string;
  appContext?: string;
  need_patient_banner: boolean;
  smart_style_url: string;
  intent?: string;
  fhirContext?: LaunchContext['fhirContext'];
}

export interface AccessTokenClaims {
  scope: string;
  patient?: string;
  encounter?: string;
  clientId: string;
  sub: string;
}

const KNOWN_OTHER_SCOPES = new Set([
  'launch',
  'launch/patient',
  'launch/encounter',
  'openid',
  'fhirUser',
  'profile',
  'offline_access',
  'online_access',
]);

const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;

/** The authorization server's state machine. */
export class SmartAuthServer {
  readonly baseUrl: string;
  readonly fhirBaseUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly smartStyleUrl: string;
  private readonly clock: Clock;
  private readonly clients: Map<string, RegisteredApp>;
  private readonly launches = new Map<string, { context: LaunchContext; expiresAt: number }>();
  private readonly pending = new Map<
    string,
    { request: AuthorizationRequest; user?: string; expiresAt: number }
  >();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly revokedGrants = new Set<string>();
  private readonly accessTtl: number;
  private readonly codeTtl: number;
  private readonly launchTtl: number;
  private readonly pendingTtl: number;
  private readonly onlineRefreshTtl: number;
  private readonly offlineRefreshTtl: number;

  constructor(private readonly options: SmartAuthOptions) {
    this.baseUrl = options.baseUrl;
    this.fhirBaseUrl = options.fhirBaseUrl;
    this.authorizeUrl = `${options.baseUrl}/auth/authorize`;
    this.tokenUrl = `${options.baseUrl}/auth/token`;
    this.jwksUrl = `${options.baseUrl}/.well-known/jwks.json`;
    this.smartStyleUrl = `${options.baseUrl}/smart-style.json`;
    this.clock = options.clock ?? (() => Date.now());
    this.clients = new Map(options.clients.map((c) => [c.clientId, c]));
    this.accessTtl = Math.min(options.accessTokenTtlSeconds ?? 3600, 3600);
    this.codeTtl = options.codeTtlSeconds ?? 60;
    this.launchTtl = options.launchTtlSeconds ?? 300;
    this.pendingTtl = options.pendingTtlSeconds ?? 600;
    this.onlineRefreshTtl = options.onlineRefreshTtlSeconds ?? 8 * 3600;
    this.offlineRefreshTtl = options.offlineRefreshTtlSeconds ?? 30 * 24 * 3600;
  }

  private now(): number {
    return this.clock();
  }

  /** `/.well-known/smart-configuration` (SMART App Launch 2.2 §Conformance): every REQUIRED field. */
  smartConfiguration(): Record<string, unknown> {
    return {
      issuer: this.fhirBaseUrl,
      jwks_uri: this.jwksUrl,
      authorization_endpoint: this.authorizeUrl,
      token_endpoint: this.tokenUrl,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: [
        'openid',
        'fhirUser',
        'launch',
        'launch/patient',
        'offline_access',
        'online_access',
        'patient/*.cruds',
        'patient/*.rs',
        'user/*.cruds',
        'user/*.rs',
        'patient/*.read',
        'patient/*.write',
        'user/*.read',
        'user/*.write',
      ],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-ehr',
        'launch-standalone',
        'authorize-post',
        'client-public',
        'sso-openid-connect',
        'context-banner',
        'context-style',
        'context-ehr-patient',
        'context-ehr-encounter',
        'context-standalone-patient',
        'permission-offline',
        'permission-online',
        'permission-patient',
        'permission-user',
        'permission-v1',
        'permission-v2',
      ],
    };
  }

  /** `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0); issuer = FHIR base. */
  openidConfiguration(): Record<string, unknown> {
    return {
      issuer: this.fhirBaseUrl,
      jwks_uri: this.jwksUrl,
      authorization_endpoint: this.authorizeUrl,
      token_endpoint: this.tokenUrl,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [
        'openid',
        'fhirUser',
        'profile',
        'launch',
        'launch/patient',
        'offline_access',
        'online_access',
      ],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
    };
  }

  /** A single-use EHR launch handle, valid for `launchTtlSeconds`. */
  createLaunch(context: LaunchContext): string {
    const handle = randomToken(16);
    this.launches.set(handle, { context, expiresAt: this.now() + this.launchTtl * 1000 });
    return handle;
  }

  /**
   * Validates an authorization request. Throws AuthorizePageError for an unknown client or an
   * unregistered redirect_uri (no redirect), OAuthError for anything else (redirected).
   */
  validateAuthorizeRequest(params: Record<string, string | undefined>): {
    request: AuthorizationRequest;
    launch?: string;
  } {
    const clientId = params.client_id;
    const client = clientId ? this.clients.get(clientId) : undefined;
    if (!client || client.type !== 'public')
      throw new AuthorizePageError(`Unknown client_id: ${clientId ?? '(missing)'}`);
    const redirectUri = params.redirect_uri;
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      throw new AuthorizePageError(
        `redirect_uri is not registered for ${client.clientId}: ${redirectUri ?? '(missing)'}`,
      );
    }
    const state = params.state ?? '';
    if (params.response_type !== 'code') {
      throw new OAuthError('unsupported_response_type', 'response_type must be code');
    }
    if (!state) throw new OAuthError('invalid_request', 'state is required');
    const aud = params.aud ?? params.resource;
    if (!aud) throw new OAuthError('invalid_request', 'aud is required (the FHIR base URL)');
    if (aud.replace(/\/+$/, '') !== this.fhirBaseUrl) {
      throw new OAuthError('invalid_request', `aud must be the FHIR base URL ${this.fhirBaseUrl}`);
    }
    if (!params.code_challenge)
      throw new OAuthError('invalid_request', 'PKCE is required: code_challenge is missing');
    if (params.code_challenge_method !== 'S256') {
      throw new OAuthError('invalid_request', 'code_challenge_method must be S256 (plain is not supported)');
    }
    if (!CODE_CHALLENGE.test(params.code_challenge)) {
      throw new OAuthError(
        'invalid_request',
        'code_challenge must be a base64url SHA-256 (43 to 128 characters)',
      );
    }
    const scope = this.grantScopes(params.scope);
    if (!scope) throw new OAuthError('invalid_scope', 'No supported scope was requested');
    const others = parseScopes(scope).others;
    const launch = params.launch;
    if (others.has('launch') && !launch) {
      throw new OAuthError('invalid_request', 'The launch scope needs a launch parameter (EHR launch)');
    }
    const request: AuthorizationRequest = {
      clientId: client.clientId,
      redirectUri,
      state,
      codeChallenge: params.code_challenge,
      scope,
      ...(params.nonce ? { nonce: params.nonce } : {}),
      needsPatient: !launch && others.has('launch/patient'),
    };
    return launch ? { request, launch } : { request };
  }

  /** The scopes granted for a request: well-formed ones only, narrowed by the downgrade toggle. */
  grantScopes(requested: string | undefined): string {
    const out: string[] = [];
    const keep: ReadonlySet<Permission> =
      this.options.scopeDowngrade === 'read-only' ? new Set(['r', 's']) : new Set(['c', 'r', 'u', 'd', 's']);
    for (const raw of (requested ?? '').split(/\s+/).filter(Boolean)) {
      const parsed = parseResourceScope(raw);
      if (parsed === null) continue;
      if (parsed === undefined) {
        if (KNOWN_OTHER_SCOPES.has(raw)) out.push(raw);
        continue;
      }
      if (parsed.context === 'system') continue;
      const narrowed = restrictScope(parsed, keep);
      if (narrowed) out.push(narrowed);
    }
    return [...new Set(out)].join(' ');
  }

  /** EHR launch: resolves (and consumes) the launch handle and issues a code. Returns the redirect URL. */
  completeEhrLaunch(request: AuthorizationRequest, launch: string): string {
    const entry = this.launches.get(launch);
    this.launches.delete(launch);
    if (!entry || entry.expiresAt <= this.now()) {
      throw new OAuthError('invalid_request', 'Unknown, used or expired launch parameter');
    }
    const c = entry.context;
    return this.issueCode(request, {
      user: c.user,
      patient: c.patient,
      ...(c.encounter ? { encounter: c.encounter } : {}),
      ...(c.appContext !== undefined ? { appContext: c.appContext } : {}),
      needPatientBanner: c.needPatientBanner ?? false,
      smartStyleUrl: c.smartStyleUrl ?? this.smartStyleUrl,
      ...(c.intent ? { intent: c.intent } : {}),
      ...(c.fhirContext ? { fhirContext: c.fhirContext } : {}),
    });
  }

  /** Standalone launch: parks the request until the user signs in. Returns its id. */
  beginStandalone(request: AuthorizationRequest): string {
    const id = randomToken(24);
    this.pending.set(id, { request, expiresAt: this.now() + this.pendingTtl * 1000 });
    return id;
  }

  /** A parked standalone request; throws when unknown or expired. */
  pendingRequest(id: string): { request: AuthorizationRequest; user?: string } {
    const entry = this.pending.get(id);
    if (!entry || entry.expiresAt <= this.now()) {
      this.pending.delete(id);
      throw new AuthorizePageError('This sign-in request is unknown or expired; launch the app again.');
    }
    return entry;
  }

  /** Records the practitioner who signed in. */
  signIn(id: string, user: string): { request: AuthorizationRequest } {
    const entry = this.pendingRequest(id);
    entry.user = user;
    return entry;
  }

  /** Finishes a standalone request (after sign-in and, if asked, a patient choice). Returns the redirect URL. */
  completeStandalone(id: string, patient: string | undefined): string {
    const entry = this.pendingRequest(id);
    if (!entry.user) throw new AuthorizePageError('Sign in first.');
    if (entry.request.needsPatient && !patient) throw new AuthorizePageError('Choose a patient.');
    this.pending.delete(id);
    return this.issueCode(entry.request, {
      user: entry.user,
      ...(patient ? { patient } : {}),
      needPatientBanner: true,
      smartStyleUrl: this.smartStyleUrl,
    });
  }

  /** The redirect URL carrying an OAuth error for a request whose redirect_uri is trusted. */
  errorRedirect(redirectUri: string, state: string | undefined, err: OAuthError): string {
    const url = new URL(redirectUri);
    url.searchParams.set('error', err.code);
    url.searchParams.set('error_description', err.description);
    if (state) url.searchParams.set('state', state);
    return url.toString();
  }

  private issueCode(request: AuthorizationRequest, context: GrantContext): string {
    const code = randomToken(32);
    this.codes.set(code, {
      request,
      context,
      grantId: randomUUID(),
      expiresAt: this.now() + this.codeTtl * 1000,
      used: false,
    });
    const url = new URL(request.redirectUri);
    url.searchParams.set('code', code);
    url.searchParams.set('state', request.state);
    return url.toString();
  }

  /** The token endpoint (RFC 6749 §4.1.3, §6; SMART App Launch 2.2). */
  async token(params: Record<string, string | undefined>): Promise<TokenResponse> {
    switch (params.grant_type) {
      case 'authorization_code':
        return this.exchangeCode(params);
      case 'refresh_token':
        return this.refresh(params);
      case undefined:
      case '':
        throw new OAuthError('invalid_request', 'grant_type is required');
      default:
        throw new OAuthError('unsupported_grant_type', `Unsupported grant_type: ${params.grant_type}`);
    }
  }

  private publicClient(clientId: string | undefined): RegisteredApp {
    const client = clientId ? this.clients.get(clientId) : undefined;
    if (!client || client.type !== 'public') throw new OAuthError('invalid_client', 'Unknown client_id');
    return client;
  }

  private async exchangeCode(params: Record<string, string | undefined>): Promise<TokenResponse> {
    const client = this.publicClient(params.client_id);
    const code = params.code;
    if (!code) throw new OAuthError('invalid_request', 'code is required');
    const record = this.codes.get(code);
    if (!record) throw new OAuthError('invalid_grant', 'Unknown authorization code');
    if (record.used) {
      // RFC 6749 §4.1.2: a reused code SHOULD revoke the tokens issued from it.
      this.revokedGrants.add(record.grantId);
      throw new OAuthError(
        'invalid_grant',
        'Authorization code already used; tokens issued from it are revoked',
      );
    }
    record.used = true;
    if (record.expiresAt <= this.now()) throw new OAuthError('invalid_grant', 'Authorization code expired');
    if (record.request.clientId !== client.clientId)
      throw new OAuthError('invalid_grant', 'Code was issued to another client');
    if (params.redirect_uri !== record.request.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
    }
    const verifier = params.code_verifier;
    if (!verifier) throw new OAuthError('invalid_grant', 'PKCE code_verifier is required');
    if (
      !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
      !sameString(s256(verifier), record.request.codeChallenge)
    ) {
      throw new OAuthError('invalid_grant', 'PKCE code_verifier does not match the code_challenge');
    }
    return this.respond(
      client.clientId,
      record.request.scope,
      record.context,
      record.grantId,
      record.request.nonce,
    );
  }

  private async refresh(params: Record<string, string | undefined>): Promise<TokenResponse> {
    const client = this.publicClient(params.client_id);
    const token = params.refresh_token;
    if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
    const record = this.refreshTokens.get(token);
    if (!record) throw new OAuthError('invalid_grant', 'Unknown refresh token');
    if (this.revokedGrants.has(record.grantId))
      throw new OAuthError('invalid_grant', 'Refresh token revoked');
    if (record.used) {
      // SMART best practice: a rotated refresh token used again revokes the whole authorization.
      this.revokedGrants.add(record.grantId);
      throw new OAuthError('invalid_grant', 'Refresh token already used; the authorization is revoked');
    }
    if (record.expiresAt <= this.now()) throw new OAuthError('invalid_grant', 'Refresh token expired');
    if (record.clientId !== client.clientId)
      throw new OAuthError('invalid_grant', 'Refresh token was issued to another client');
    let scope = record.scope;
    if (params.scope) {
      const granted = new Set(record.scope.split(' '));
      const asked = params.scope.split(/\s+/).filter(Boolean);
      const extra = asked.filter((s) => !granted.has(s));
      if (extra.length > 0)
        throw new OAuthError('invalid_scope', `Not in the original grant: ${extra.join(' ')}`);
      scope = asked.join(' ');
    }
    record.used = true;
    return this.respond(client.clientId, scope, record.context, record.grantId, undefined);
  }

  private async respond(
    clientId: string,
    scope: string,
    context: GrantContext,
    grantId: string,
    nonce: string | undefined,
  ): Promise<TokenResponse> {
    const others = parseScopes(scope).others;
    const accessToken = await this.signAccessToken({
      clientId,
      scope,
      sub: context.user,
      grantId,
      ...(context.patient ? { patient: context.patient } : {}),
      ...(context.encounter ? { encounter: context.encounter } : {}),
    });
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTtl,
      scope,
      need_patient_banner: context.needPatientBanner,
      smart_style_url: context.smartStyleUrl,
      ...(context.patient ? { patient: context.patient } : {}),
      ...(context.encounter ? { encounter: context.encounter } : {}),
      ...(context.appContext !== undefined ? { appContext: context.appContext } : {}),
      ...(context.intent ? { intent: context.intent } : {}),
      ...(context.fhirContext ? { fhirContext: context.fhirContext } : {}),
    };
    if (others.has('openid') && (others.has('fhirUser') || others.has('profile'))) {
      response.id_token = await this.signIdToken(clientId, context.user, nonce);
    }
    if (others.has('offline_access') || others.has('online_access')) {
      const refreshToken = randomToken(32);
      const ttl = others.has('offline_access') ? this.offlineRefreshTtl : this.onlineRefreshTtl;
      this.refreshTokens.set(refreshToken, {
        clientId,
        scope,
        context,
        grantId,
        expiresAt: this.now() + ttl * 1000,
        used: false,
      });
      response.refresh_token = refreshToken;
    }
    return response;
  }

  private async signAccessToken(input: {
    clientId: string;
    scope: string;
    sub: string;
    grantId: string;
    patient?: string;
    encounter?: string;
  }): Promise<string> {
    const key = this.options.keys.access;
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({
      client_id: input.clientId,
      scope: input.scope,
      grant: input.grantId,
      ...(input.patient ? { patient: input.patient } : {}),
      ...(input.encounter ? { encounter: input.encounter } : {}),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.baseUrl)
      .setAudience(this.fhirBaseUrl)
      .setSubject(input.sub)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.accessTtl)
      .sign(key.privateKey);
  }

  private async signIdToken(clientId: string, user: string, nonce: string | undefined): Promise<string> {
    const key = this.options.keys.idToken;
    const iat = Math.floor(this.now() / 1000);
    const [type = 'Practitioner', id = user] = user.includes('/') ? user.split('/') : ['Practitioner', user];
    return new SignJWT({ fhirUser: `${this.fhirBaseUrl}/${type}/${id}`, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.fhirBaseUrl)
      .setAudience(clientId)
      .setSubject(id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(key.privateKey);
  }

  /** Verifies an access token: signature, issuer, audience, expiry (by the injected clock), revocation. */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.options.keys.access.publicKey, {
        issuer: this.baseUrl,
        audience: this.fhirBaseUrl,
        algorithms: [this.options.keys.access.alg],
        currentDate: new Date(this.now()),
        typ: 'at+jwt',
      });
      if (typeof payload.grant !== 'string' || this.revokedGrants.has(payload.grant)) return undefined;
      if (typeof payload.scope !== 'string' || typeof payload.client_id !== 'string' || !payload.sub)
        return undefined;
      return {
        scope: payload.scope,
        clientId: payload.client_id,
        sub: payload.sub,
        ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
        ...(typeof payload.encounter === 'string' ? { encounter: payload.encounter } : {}),
      };
    } catch {
      return undefined;
    }
  }

  /** An access token for a CDS service's `fhirAuthorization` (CDS Hooks 2.0 §FHIR Resource Access). */
  async issueServiceToken(
    request: ServiceTokenRequest,
  ): Promise<{ access_token: string; expires_in: number; scope: string }> {
    const client = this.clients.get(request.clientId);
    if (!client || client.type !== 'service')
      throw new OAuthError('invalid_client', `Unknown service client ${request.clientId}`);
    const scope = this.grantScopes(request.scope);
    const accessToken = await this.signAccessToken({
      clientId: client.clientId,
      scope,
      sub: request.user,
      grantId: randomUUID(),
      patient: request.patient,
    });
    return { access_token: accessToken, expires_in: this.accessTtl, scope };
  }

  /** A CDS Hooks 2.0 client JWT: ES384, `typ` JWT, `kid` and `jku` of the sandbox JWKS, 5-minute life. */
  async signHookJwt(aud: string): Promise<string> {
    const key = this.options.keys.hook;
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', jku: this.jwksUrl })
      .setIssuer(this.baseUrl)
      .setSubject('rationale-sandbox')
      .setAudience(aud)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
