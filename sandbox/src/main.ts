/**
 * Starts the sandbox: configuration from the environment (a bad value stops here, naming the
 * variable), the composed app on SANDBOX_PORT, and the URLs a developer needs.
 */
import { createSandboxApp } from './app';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { app, stats } = await createSandboxApp(config, {
    onError: (err) =>
      process.stderr.write(`sandbox error: ${err instanceof Error ? err.message : String(err)}\n`),
  });
  const server = app.listen(config.port, () => {
    const lines = [
      `Rationale sandbox on ${config.baseUrl}`,
      `  EHR simulator      ${config.baseUrl}/`,
      `  FHIR R4 base       ${config.fhirBaseUrl}   (${stats.patients} patients, ${stats.resources} resources, loaded in ${stats.loadMilliseconds} ms)`,
      `  SMART config       ${config.fhirBaseUrl}/.well-known/smart-configuration`,
      `  authorize / token  ${config.baseUrl}/auth/authorize   ${config.baseUrl}/auth/token`,
      `  JWKS (hook iss)    ${config.baseUrl}/.well-known/jwks.json   iss=${config.baseUrl}`,
      `  SMART app          ${config.app.clientId} → ${config.app.launchUrl}`,
      `  reference date     ${config.referenceDate}   scope downgrade: ${config.scopeDowngrade}`,
    ];
    if (stats.imported) {
      lines.push(
        `  imported           ${stats.imported.files} files, ${stats.imported.resources} resources (${stats.imported.failed.length} failed) from ${config.importDir}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    process.stderr.write(
      err.code === 'EADDRINUSE'
        ? `SANDBOX_PORT ${config.port} is already in use\n`
        : `sandbox server error: ${err.message}\n`,
    );
    process.exit(1);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `sandbox failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
