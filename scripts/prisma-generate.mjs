/*
 * postinstall: generate the Prisma client into src/db/generated (gitignored) without network.
 *
 * `prisma generate` itself needs no native engine in Prisma 7 (the client's query compiler is
 * WebAssembly), but the CLI first checks for its schema engine and tries to download it from
 * Prisma's host, which these machines cannot reach. Pointing PRISMA_SCHEMA_ENGINE_BINARY at
 * any existing executable satisfies that check; generate never runs it. The other variables
 * stop the update check and telemetry, which would also try the network.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

let cli;
try {
  const manifestPath = require.resolve('prisma/package.json');
  cli = join(dirname(manifestPath), require(manifestPath).bin.prisma);
} catch {
  console.error('prisma-generate: the prisma package is not installed; run `npm ci` first.');
  process.exit(1);
}

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    // An existing executable that is never run; keep one the user set on purpose.
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    PRISMA_TELEMETRY_DISABLED: '1',
  },
});

if (result.error) {
  console.error(`prisma-generate: could not start the Prisma CLI: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
