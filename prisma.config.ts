import { defineConfig } from 'prisma/config';

/*
 * Prisma CLI settings. Here `prisma generate` is the only command that runs (it needs no
 * database and no downloaded engine; scripts/prisma-generate.mjs); migrations are applied by
 * src/db/migrate.ts. On a machine that can download Prisma's schema engine, `prisma migrate
 * deploy` and `prisma migrate diff` work with this file as well.
 */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // Not env('DATABASE_URL'): that throws when the variable is unset, which would break
    // `prisma generate` in a fresh `npm ci`. The default is the one src/config.ts uses.
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/echosoul',
  },
});
