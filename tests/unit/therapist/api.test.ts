import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from '../../../client/common/api';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function clientWith(response: Response | Error, token: string | null = 'tok') {
  const fetchMock = vi.fn(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fetchMock);
  const onUnauthorized = vi.fn();
  const api = createApiClient({ baseUrl: 'http://x', getToken: () => token, onUnauthorized });
  return { api, fetchMock, onUnauthorized };
}

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('sends the bearer token and JSON body, and returns the validated answer', async () => {
    const { api, fetchMock } = clientWith(
      json(200, {
        code: '123456',
        issuedAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-01-01T00:10:00.000Z',
      }),
    );
    await expect(api.createPairingCode('p 1')).resolves.toEqual({
      code: '123456',
      issuedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-01T00:10:00.000Z',
    });
    expect(fetchMock).toHaveBeenCalledWith('http://x/api/patients/p%201/pairing-code', {
      method: 'POST',
      headers: { authorization: 'Bearer tok' },
      body: undefined,
    });
  });

  it('refuses an answer that does not match the contract', async () => {
    const { api } = clientWith(json(200, { code: 'abc', expiresAt: 'soon' }));
    await expect(api.createPairingCode('p1')).rejects.toMatchObject({
      name: 'ApiError',
      code: 'schema',
    });
  });

  it('turns server errors into ApiError with the server message and reports 401s', async () => {
    const { api, onUnauthorized } = clientWith(
      json(401, { error: { code: 'unauthenticated', message: 'Sign in again' } }),
    );
    const error = await api.listPatients().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated', message: 'Sign in again' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('says when the server cannot be reached', async () => {
    const { api } = clientWith(new TypeError('fetch failed'), null);
    await expect(api.listPatients()).rejects.toMatchObject({ code: 'network', status: 0 });
  });
});
