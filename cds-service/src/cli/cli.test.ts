/**
 * The CLI as an informaticist runs it: each test spawns `bin/rationale.cjs` (what `npx rationale`
 * runs) on fixture files and checks the output and the exit code.
 */
import { cdsResponseSchema } from '@rationale/shared-types';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '../hooks/registry';

const BIN = join(__dirname, '../../bin/rationale.cjs');
const FIXTURES = join(__dirname, 'fixtures');

function rationale(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('rationale validate-config', () => {
  it('prints OK and the effective settings for a valid file, exit 0', () => {
    const out = rationale(['validate-config', join(FIXTURES, 'config-valid.yaml')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^OK .*config-valid\.yaml\n/);
    expect(out.stdout).toContain('patient-view (active, budget 2)');
    expect(out.stdout).toContain('order-sign (silent, budget 3)');
    expect(out.stdout).not.toContain('encounter-start');
    expect(out.stdout).toContain('minimum posterior for a suggested diagnosis: 0.7; snooze 60 days');
    expect(out.stdout).toContain('https://fhir.example-hospital.org/api/FHIR/R4 (epic)');
  });

  it('names the file, the field and the problem for an out-of-range value, exit 1', () => {
    const out = rationale(['validate-config', join(FIXTURES, 'config-bad-budget.json')]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/config-bad-budget\.json: services\.patient-view\.cardBudget: .*<=20/);
  });

  it('reports a YAML syntax error with the file path, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rationale-cli-'));
    try {
      const file = join(dir, 'config-bad-syntax.yaml');
      writeFileSync(file, 'services:\n  patient-view: { enabled: true\nthresholds: [\n');
      const out = rationale(['validate-config', file]);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/config-bad-syntax\.yaml: not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing file, exit 1', () => {
    const out = rationale(['validate-config', join(FIXTURES, 'no-such-file.yaml')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/no-such-file\.yaml: cannot read the configuration file \(ENOENT\)/);
  });

  it('applies environment overrides as the service would, naming the variable', () => {
    const out = rationale(['validate-config', join(FIXTURES, 'config-valid.yaml')], {
      TRUSTED_ISSUERS: 'not json',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('TRUSTED_ISSUERS: is not valid JSON');
  });

  it('needs exactly one file, exit 2 with usage', () => {
    const out = rationale(['validate-config']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('validate-config takes one FILE');
    expect(out.stderr).toContain('Usage: rationale');
  });
});

describe('rationale prefetch', () => {
  it('prints one table per Epic-supported service, with every key, query and token, and an exact copy block', () => {
    const out = rationale(['prefetch', '--ehr', 'epic']);
    expect(out.code).toBe(0);
    const epicServices = SERVICES.filter((s) =>
      ['patient-view', 'order-select', 'order-sign'].includes(s.hook),
    );
    for (const service of epicServices) {
      expect(out.stdout).toContain(`## ${service.title}`);
      expect(out.stdout).toContain(`Service id \`${service.id}\``);
      for (const [key, template] of Object.entries(service.prefetch)) {
        // The table cell (pipes escaped for Markdown) and the copy block line (exact).
        expect(out.stdout).toContain(`| \`${key}\` |`);
        expect(out.stdout).toContain(`\`${template.replace(/\|/g, '\\|')}\``);
        expect(out.stdout).toMatch(
          new RegExp(`\\n${key} +${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`),
        );
      }
    }
    expect(out.stdout).toContain('| Key | Returns | FHIR query | Tokens |');
    expect(out.stdout).toContain('- `{{context.patientId}}`: the FHIR id of the patient whose chart is open');
    expect(out.stdout).not.toContain('## Rationale: care gaps at the start of an encounter');
    expect(out.stdout).toContain(
      'Not offered to Epic (the EHR does not fire the hook): `rationale-encounter-start`, `rationale-encounter-discharge`.',
    );
  });

  it('prints only the patient-view service for Oracle Health', () => {
    const out = rationale(['prefetch', '--ehr', 'oracle']);
    expect(out.code).toBe(0);
    expect(out.stdout.match(/^## /gm)).toHaveLength(1);
    expect(out.stdout).toContain('Service id `rationale-patient-view`');
  });

  it('prints the generic discovery-style JSON, identical to the registry', () => {
    const out = rationale(['prefetch', '--ehr', 'generic']);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as {
      services: { id: string; hook: string; prefetch: Record<string, string> }[];
    };
    expect(json.services.map((s) => [s.id, s.prefetch])).toEqual(
      SERVICES.map((s) => [s.id, { ...s.prefetch }]),
    );
  });

  it('needs a known --ehr, exit 2', () => {
    expect(rationale(['prefetch']).code).toBe(2);
    const out = rationale(['prefetch', '--ehr', 'meditech']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--ehr must be one of generic, epic, oracle; got "meditech"');
  });
});

describe('rationale dry-run', () => {
  const typical = join(FIXTURES, 'patient-typical.json');
  const NOW = '2026-05-20T15:00:00Z';

  it('prints the readable cards and the CDS Hooks response for a patient bundle, exit 0', () => {
    const out = rationale([
      'dry-run',
      '--hook',
      'patient-view',
      '--bundle',
      typical,
      '--now',
      NOW,
      '--app-launch-url',
      'https://app.example/launch',
    ]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('# Dry run: patient-view for Patient/typical-1');
    expect(out.stdout).toContain('assessed 2026-05-20T15:00:00');
    expect(out.stdout).toMatch(/## Cards \(\d\)/);
    expect(out.stdout).toMatch(/## Held back \(\d+\)/);
    const json = /## CDS Hooks response\n\n```json\n([\s\S]*)\n```\n$/.exec(out.stdout)?.[1];
    const response = cdsResponseSchema.parse(JSON.parse(json ?? 'null'));
    expect(response.cards.length).toBeLessThanOrEqual(3);
    for (const card of response.cards) {
      expect(card.summary.length).toBeLessThan(140);
      expect(card.links?.[0]).toMatchObject({
        type: 'smart',
        url: 'https://app.example/launch',
        appContext: expect.stringContaining('"assessmentId":"dry-run"') as unknown,
      });
    }
  });

  it('prints Epic-shaped JSON only with --format json --profile epic', () => {
    const out = rationale([
      'dry-run',
      '--bundle',
      typical,
      '--now',
      NOW,
      '--profile',
      'epic',
      '--format',
      'json',
      '--budget',
      '5',
    ]);
    expect(out.code).toBe(0);
    const response = cdsResponseSchema.parse(JSON.parse(out.stdout));
    for (const card of response.cards) {
      expect(card.source.topic?.code).toMatch(/^[A-Za-z0-9]{1,100}$/);
      if (card.suggestions) {
        expect(card.selectionBehavior).toBe('any');
        for (const s of card.suggestions) expect(s.actions).toHaveLength(1);
      }
    }
  });

  it('takes the budget from --config and honours --budget 0', () => {
    const zero = rationale([
      'dry-run',
      '--bundle',
      typical,
      '--now',
      NOW,
      '--budget',
      '0',
      '--format',
      'json',
    ]);
    expect(zero.code).toBe(0);
    expect(JSON.parse(zero.stdout)).toEqual({ cards: [] });
    const configured = rationale([
      'dry-run',
      '--bundle',
      typical,
      '--now',
      NOW,
      '--config',
      join(FIXTURES, 'config-valid.yaml'),
    ]);
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain('Profile generic · budget 2');
  });

  it('reads draft orders from the bundle on order-sign', () => {
    const out = rationale([
      'dry-run',
      '--hook',
      'order-sign',
      '--bundle',
      join(FIXTURES, 'patient-orders.json'),
      '--now',
      NOW,
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 draft orders');
  });

  it('rejects bad usage with exit 2 and bad input with exit 1', () => {
    expect(rationale(['dry-run', '--hook', 'patient-view']).stderr).toContain(
      'dry-run needs --bundle FILE.json',
    );
    expect(rationale(['dry-run', '--hook', 'patient-view']).code).toBe(2);
    expect(rationale(['dry-run', '--bundle', typical, '--hook', 'chart-open']).code).toBe(2);
    expect(rationale(['dry-run', '--bundle', typical, '--now', 'yesterday']).code).toBe(2);
    expect(rationale(['dry-run', '--bundle', typical, '--colour']).code).toBe(2);
    const notJson = rationale(['dry-run', '--bundle', join(FIXTURES, 'config-valid.yaml')]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/config-valid\.yaml: not valid JSON/);
  });
});

describe('rationale', () => {
  it('prints usage for help (exit 0) and for an unknown command (exit 2)', () => {
    const help = rationale(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('validate-config FILE');
    const unknown = rationale(['launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "launch"');
  });
});
