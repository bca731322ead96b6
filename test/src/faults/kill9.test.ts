/**
 * kill -9 of the service during a burst of feedback (PGlite on disk): every feedback entry the
 * service acknowledged with a 2xx is in the database when the same DATA_DIR is opened again.
 */
import pino from 'pino';
import { createStore } from '../../../cds-service/src/store';
import { startService } from '../bench/lib/service';
import { createTrustedClient } from '../bench/lib/tokens';

const KILL_AFTER_ACKS = 80;
const WORKERS = 8;

describe('kill -9 during a feedback burst', () => {
  it('keeps every acknowledged feedback entry', async () => {
    const client = await createTrustedClient();
    const service = await startService({ trustedIssuersEnv: client.trustedIssuersEnv });
    const url = `${service.url}/cds-services/rationale-patient-view/feedback`;
    const acked: string[] = [];
    let failedAfterKill = 0;
    let killed = false;
    const tokens = await Promise.all(Array.from({ length: 2000 }, () => client.token(url)));
    let next = 0;
    const worker = async () => {
      while (!killed || next < 0) {
        const token = tokens[next++];
        if (!token) return;
        const card = crypto.randomUUID();
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              feedback: [{ card, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }],
            }),
            signal: AbortSignal.timeout(10_000),
          });
          await res.text();
          if (res.status >= 200 && res.status < 300) acked.push(card);
          if (acked.length >= KILL_AFTER_ACKS && !killed) {
            killed = true;
            process.kill(service.pid, 'SIGKILL');
          }
        } catch {
          failedAfterKill++;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await service.kill9();
    expect(killed).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    process.stdout.write(`kill -9: ${acked.length} acknowledged, ${failedAfterKill} cut off by the kill\n`);

    const store = await createStore({ dataDir: service.dataDir, logger: pino({ level: 'silent' }) });
    try {
      const stored = await store.feedbackFor(acked);
      expect(new Set(stored.map((s) => s.cardUuid))).toEqual(new Set(acked));
    } finally {
      await store.close();
      service.cleanup();
    }
  }, 180_000);
});
