import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('createLogger', () => {
  it('writes one JSON object a line when not pretty', async () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream }).info({ port: 8081 }, 'listening');
    await settle();
    const record = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ msg: 'listening', port: 8081, service: 'rationale-cds' });
  });

  it('writes human-readable lines when pretty, with the level word and the fields', async () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream, pretty: true }).warn({ port: 8081 }, 'listening');
    await settle();
    const text = out.text();
    expect(text).toMatch(/WARN/);
    expect(text).toMatch(/listening/);
    expect(text).toMatch(/port.*8081/);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('still redacts tokens when pretty', async () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream, pretty: true }).info(
      { token: 'secret-value-123' },
      'x',
    );
    await settle();
    expect(out.text()).not.toContain('secret-value-123');
  });
});
