/**
 * A small OpenAI-compatible chat server for end-to-end tests, run as its own process:
 * `tsx test/src/support/fake-llm-server.ts [port]`. It answers POST /v1/chat/completions with claims
 * built from the findings in the request — one that cites a real finding with its true value, one
 * that cites a finding id that does not exist (verification must drop it) — and records what it
 * received, readable at GET /received, so a test can check that no identifier left the service.
 */
import { createServer } from 'node:http';

interface SummaryFinding {
  id: string;
  label: string;
  value?: number;
  unit?: string;
}

const received: string[] = [];

function answer(body: string): unknown {
  const request = JSON.parse(body) as { model: string; messages: Array<{ role: string; content: string }> };
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '{}';
  const summary = JSON.parse(user) as { findings?: SummaryFinding[]; evidence?: Array<{ id: string }> };
  const withValue = (summary.findings ?? []).find((f) => typeof f.value === 'number');
  const evidenceId = summary.evidence?.[0]?.id;
  const claims = {
    hypotheses: withValue
      ? [
          {
            condition: `Finding needing follow-up: ${withValue.label}`,
            snomedCode: null,
            probability: 0.3,
            rationale: `${withValue.label} warrants a repeat measurement.`,
            findingIds: [withValue.id],
            evidenceIds: evidenceId ? [evidenceId] : [],
            statedValues: [{ findingId: withValue.id, value: withValue.value!, unit: withValue.unit ?? '' }],
          },
          {
            condition: 'Invented condition',
            snomedCode: null,
            probability: 0.9,
            rationale: 'Rests on a finding that does not exist.',
            findingIds: ['F999'],
            evidenceIds: [],
            statedValues: [],
          },
        ]
      : [],
    recommendations: [],
    reasoning: withValue
      ? [{ text: `Considered ${withValue.label}.`, findingIds: [withValue.id], evidenceIds: [] }]
      : [],
  };
  return {
    id: `chatcmpl-${received.length}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: { role: 'assistant', content: JSON.stringify(claims), refusal: null },
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return;
    }
    if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) {
      received.push(body);
      try {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(body)));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad request"}}');
      }
      return;
    }
    res.writeHead(404).end();
  });
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
