/**
 * The whole stack with the optional LLM reasoner switched on, against a small OpenAI-compatible
 * server process (support/fake-llm-server.ts): a chart opens in the sandbox EHR, the hook answers
 * with the knowledge model's cards, and the LLM's verified additions reach the stored assessment
 * that the SMART app reads — the hallucinated claim dropped and counted, no identifier sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Assessment, ModelCard, Patient } from '@rationale/shared-types';
import { ehrLaunchToken } from '../support/smart';
import { REPO_ROOT, startStack, type Stack } from '../support/stack';

const PATIENT = 'rat-001';
const LLM_MODEL = 'fake-clinical-llm';

function startFakeLlm(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, '../support/fake-llm-server.ts'), '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}`, process: child });
    });
    child.once('exit', (code) => reject(new Error(`fake LLM server exited (${code}) before listening`)));
  });
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${response.url}: ${await response.text()}`);
  return (await response.json()) as T;
}

describe('LLM reasoner end to end', () => {
  let llm: { url: string; process: ChildProcess };
  let stack: Stack;

  beforeAll(async () => {
    llm = await startFakeLlm();
    stack = await startStack({
      env: {
        LLM_BASE_URL: `${llm.url}/v1`,
        LLM_MODEL,
        LLM_API_KEY: 'e2e-key',
        LLM_DATE_SHIFT_SECRET: 'e2e-date-shift-secret-0123456789',
      },
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    llm?.process.kill('SIGTERM');
  });

  it('stores verified LLM additions for the app, drops the hallucinated claim and sends no identifier', async () => {
    // Discovery needs a JWT like every call; the EHR fetches it with one.
    const discovery = await json<{ services: Array<{ id: string; hook: string }> }>(
      await fetch(`${stack.sandboxUrl}/ehr/api/services?url=${encodeURIComponent(stack.discoveryUrl)}`),
    );
    const service = discovery.services.find((s) => s.hook === 'patient-view')!;
    const fired = await json<{ status: number; cards: unknown[] }>(
      await fetch(`${stack.sandboxUrl}/ehr/api/hooks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          serviceBase: stack.discoveryUrl,
          serviceId: service.id,
          hook: 'patient-view',
          patientId: PATIENT,
          userId: 'Practitioner/rat-pr-001',
        }),
      }),
    );
    expect(fired.status).toBe(200);

    // The app's own token, from a real EHR launch, reads the assessment as the app does.
    const token = await ehrLaunchToken(stack, PATIENT);
    const auth = { Authorization: `Bearer ${token.access_token}` };
    const latest = await json<Assessment>(
      await fetch(
        `${stack.cdsUrl}/api/assessments?patient=${PATIENT}&fhirServer=${encodeURIComponent(stack.fhirUrl)}`,
        { headers: auth },
      ),
    );

    let assessment = latest;
    for (let i = 0; i < 50 && assessment.llm?.status !== 'complete'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      assessment = await json<Assessment>(
        await fetch(`${stack.cdsUrl}/api/assessments/${latest.id}`, { headers: auth }),
      );
    }
    const additions = assessment.llm!;
    expect(additions.status).toBe('complete');
    expect(additions.model).toBe(LLM_MODEL);
    expect(additions.hypotheses).toHaveLength(1);
    expect(additions.hypotheses[0]!.origin).toBe('llm');
    const cited = additions.hypotheses[0]!.criteria!.findingIds;
    expect(cited.every((id) => assessment.findings.some((f) => f.id === id))).toBe(true);
    expect(additions.dropped['unknown-finding']).toBe(1);

    // The model card names the LLM in use.
    const card = await json<ModelCard>(await fetch(`${stack.cdsUrl}/api/model-card`, { headers: auth }));
    expect(card.llm).toMatchObject({ enabled: true, model: LLM_MODEL });

    // What left the service holds none of the patient's identifiers.
    const patient = await json<Patient>(
      await fetch(`${stack.fhirUrl}/Patient/${PATIENT}`, { headers: auth }),
    );
    const sent = (await json<string[]>(await fetch(`${llm.url}/received`))).join('\n');
    expect(sent.length).toBeGreaterThan(0);
    const identifiers = [
      PATIENT,
      patient.birthDate,
      ...(patient.name ?? []).flatMap((n) => [n.family, ...(n.given ?? [])]),
      ...(patient.identifier ?? []).map((i) => i.value),
      ...(patient.address ?? []).flatMap((a) => [...(a.line ?? []), a.city, a.postalCode]),
      ...(patient.telecom ?? []).map((t) => t.value),
    ].filter((v): v is string => !!v && v.length >= 3);
    expect(identifiers.length).toBeGreaterThan(2);
    for (const value of identifiers) expect(sent).not.toContain(value);
  });
});
