import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDeliveryMode, jobDelivery } from './delivery/job-delivery.js';
import { resolveStateDir } from './state-dir.js';

describe('resolveStateDir', () => {
  const home = '/home/anna';
  it('takes --state-dir, then the job, then KOPPEL_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state', () => {
    const env = { KOPPEL_STATE_DIR: '/srv/state', XDG_STATE_HOME: '/xdg' };
    expect(resolveStateDir({ flag: '/flag', job: 'state', jobDir: '/jobs', env, home })).toEqual({
      dir: '/flag',
      source: 'flag',
    });
    expect(resolveStateDir({ job: 'state', jobDir: '/jobs', env, home })).toEqual({
      dir: '/jobs/state',
      source: 'job',
    });
    expect(resolveStateDir({ job: '/abs', jobDir: '/jobs', env, home }).dir).toBe('/abs');
    expect(resolveStateDir({ env, home })).toEqual({ dir: '/srv/state', source: 'env' });
    expect(resolveStateDir({ env: { XDG_STATE_HOME: '/xdg' }, home })).toEqual({
      dir: '/xdg/koppel',
      source: 'xdg',
    });
    // A relative XDG_STATE_HOME is invalid by the spec and ignored; an empty variable is unset.
    expect(resolveStateDir({ env: { XDG_STATE_HOME: 'rel', KOPPEL_STATE_DIR: '' }, home })).toEqual({
      dir: join(home, '.local', 'state', 'koppel'),
      source: 'home',
    });
  });
  it('never defaults to the working directory', () => {
    expect(resolveStateDir({ env: {}, home }).dir).not.toContain(process.cwd());
  });
});

describe('delivery mode by what the job does', () => {
  const target = (extra: object) => ({ target: { update_connector: 'X', element: {}, ...extra } }) as never;
  it('is once for inserts, changed for updates and Match upserts, and the job can say otherwise', () => {
    expect(defaultDeliveryMode(target({}))).toBe('once');
    expect(defaultDeliveryMode(target({ method: 'update' }))).toBe('changed');
    expect(defaultDeliveryMode(target({ element: { fields: { MatchPer: { const: '0' } } } }))).toBe(
      'changed',
    );
    expect(defaultDeliveryMode(target({ element: { fields: { MatchOga: { const: '0' } } } }))).toBe(
      'changed',
    );
    expect(defaultDeliveryMode(target({ method: 'delete' }))).toBe('once');
    const job = {
      name: 'memoriaal-a',
      target: { update_connector: 'FiEntries', element: {} },
      delivery: { scope: 'memoriaal', mode: 'run' as const },
    } as never;
    expect(jobDelivery(job, 'https://12345.rest.afas.online/ProfitRestServices/')).toEqual({
      environment: 'https://12345.rest.afas.online/profitrestservices#12345',
      connector: 'FiEntries',
      scope: 'memoriaal',
      mode: 'run',
    });
    expect(
      jobDelivery(
        { ...(job as object), delivery: undefined } as never,
        'http://127.0.0.1:8080/12345/ProfitRestServices',
      ).scope,
    ).toBe('memoriaal-a');
  });
});
