import { z } from 'zod';
import {
  auditListSchema,
  deviceListSchema,
  httpErrorSchema,
  loginResponseSchema,
  pairingCodeResponseSchema,
  pairingStatusSchema,
  patientListSchema,
  patientSchema,
  ratingListSchema,
  sessionDetailSchema,
  performanceMapsSchema,
  sessionListSchema,
  type LoginRequest,
  type PatientCreate,
  type PatientPatch,
} from '../../shared/protocol/http';
import { sessionPersonalSchema } from '../../shared/protocol/flags';
import {
  scaleEntrySchema,
  scaleListSchema,
  type ScaleEntryCorrection,
  type ScaleEntryInput,
} from '../../shared/protocol/scales';

/** A failed request, with the server's error code when it sent one (`network` when none came). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  /** Prefix for every path; '' means the server that served the page. */
  baseUrl?: string;
  getToken: () => string | null;
  /** Called on any 401: the token expired or was revoked. */
  onUnauthorized?: () => void;
}

const emptySchema = z.unknown();

/**
 * The typed HTTP client both pages use. Every answer is parsed with its schema from
 * shared/protocol/http.ts, so the UI never sees a shape the contract does not allow.
 */
export function createApiClient({ baseUrl = '', getToken, onUnauthorized }: ApiOptions) {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('The server cannot be reached. Check the network.', 0, 'network');
    }
    if (response.ok) return response;
    if (response.status === 401) onUnauthorized?.();
    const parsed = httpErrorSchema.safeParse(await response.json().catch(() => null));
    throw parsed.success
      ? new ApiError(parsed.data.error.message, response.status, parsed.data.error.code)
      : new ApiError(`Request failed (${response.status})`, response.status, 'http');
  }

  async function json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await send(method, path, body);
    const data: unknown = response.status === 204 ? {} : await response.json();
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new ApiError('The server sent an answer this page does not understand.', 200, 'schema');
    }
    return parsed.data;
  }

  const id = encodeURIComponent;

  return {
    login: (request: LoginRequest) => json(loginResponseSchema, 'POST', '/api/auth/login', request),
    logout: () => json(emptySchema, 'POST', '/api/auth/logout'),
    listPatients: () => json(patientListSchema, 'GET', '/api/patients'),
    createPatient: (patient: PatientCreate) =>
      json(patientSchema, 'POST', '/api/patients', patient),
    getPatient: (patientId: string) => json(patientSchema, 'GET', `/api/patients/${id(patientId)}`),
    updatePatient: (patientId: string, patch: PatientPatch) =>
      json(patientSchema, 'PATCH', `/api/patients/${id(patientId)}`, patch),
    deletePatient: (patientId: string) =>
      json(emptySchema, 'DELETE', `/api/patients/${id(patientId)}`),
    createPairingCode: (patientId: string) =>
      json(pairingCodeResponseSchema, 'POST', `/api/patients/${id(patientId)}/pairing-code`),
    pairingStatus: (patientId: string) =>
      json(pairingStatusSchema, 'GET', `/api/patients/${id(patientId)}/pairing-code`),
    listDevices: (patientId: string) =>
      json(deviceListSchema, 'GET', `/api/patients/${id(patientId)}/devices`),
    revokeDevice: (deviceId: string) => json(emptySchema, 'DELETE', `/api/devices/${id(deviceId)}`),
    getPerformanceMaps: (patientId: string) =>
      json(performanceMapsSchema, 'GET', `/api/patients/${id(patientId)}/performance-map`),
    listSessions: (patientId: string) =>
      json(sessionListSchema, 'GET', `/api/patients/${id(patientId)}/sessions`),
    getSession: (sessionId: string) =>
      json(sessionDetailSchema, 'GET', `/api/sessions/${id(sessionId)}`),
    getSessionPersonal: (sessionId: string) =>
      json(sessionPersonalSchema, 'GET', `/api/sessions/${id(sessionId)}/personal`),
    listRatings: (patientId: string) =>
      json(ratingListSchema, 'GET', `/api/patients/${id(patientId)}/ratings`),
    listAudit: (patientId: string) =>
      json(auditListSchema, 'GET', `/api/patients/${id(patientId)}/audit`),
    listScales: (patientId: string) =>
      json(scaleListSchema, 'GET', `/api/patients/${id(patientId)}/scales`),
    recordScale: (patientId: string, entry: ScaleEntryInput) =>
      json(scaleEntrySchema, 'POST', `/api/patients/${id(patientId)}/scales`, entry),
    correctScale: (patientId: string, entryId: string, correction: ScaleEntryCorrection) =>
      json(
        scaleEntrySchema,
        'PATCH',
        `/api/patients/${id(patientId)}/scales/${id(entryId)}`,
        correction,
      ),
    deleteScale: (patientId: string, entryId: string) =>
      json(emptySchema, 'DELETE', `/api/patients/${id(patientId)}/scales/${id(entryId)}`),
    /** A file export (CSV, FHIR JSON) as a Blob, fetched with the bearer token. */
    download: async (path: string): Promise<Blob> => (await send('GET', path)).blob(),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
