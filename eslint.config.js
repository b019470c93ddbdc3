// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/*
 * Dependency direction (docs/architecture.md):
 *   core imports nothing else in src/; matcher and relay import core only;
 *   bots, jobs and db import core and the services they drive; only main.ts wires everything.
 * Platform SDKs and infrastructure clients are fenced into the folders that own them.
 */
const layers = ['core', 'matcher', 'relay', 'bots', 'jobs', 'db'];
const mayImport = {
  core: [],
  matcher: ['core'],
  relay: ['core'],
  bots: ['core', 'matcher', 'relay'],
  jobs: ['core', 'matcher', 'relay'],
  db: ['core'],
};
const packageHomes = {
  telegraf: ['bots/telegram'],
  'discord.js': ['bots/discord'],
  '@discordjs/*': ['bots/discord'],
  '@prisma/*': ['db'],
  prisma: ['db'],
  pg: ['db'],
  ioredis: ['matcher', 'relay', 'jobs', 'main'],
  bullmq: ['matcher', 'relay', 'jobs', 'main'],
};

/** @param {string} where folder under src/ ("bots/telegram", "core", "main"). */
function restrictionsFor(where) {
  const layer = where.split('/')[0] ?? where;
  const patterns = [];
  if (layer !== 'main') {
    const allowed = new Set([layer, ...(mayImport[/** @type {keyof typeof mayImport} */ (layer)] ?? layers)]);
    for (const other of layers) {
      if (!allowed.has(other)) {
        patterns.push({
          group: [`**/${other}/**`, `**/${other}`],
          message: `src/${layer} must not import src/${other} (see docs/architecture.md).`,
        });
      }
    }
    patterns.push({ group: ['**/main.js', '**/config.js'], message: 'Only main.ts wires modules and reads config.' });
  }
  for (const [pkg, homes] of Object.entries(packageHomes)) {
    if (!homes.some((h) => where === h || where.startsWith(`${h}/`))) {
      patterns.push({ group: [pkg, `${pkg}/**`], message: `${pkg} belongs in src/${homes.join(' or src/')} only.` });
    }
  }
  return { patterns };
}

const layerBlocks = [
  ...['core', 'matcher', 'relay', 'jobs', 'db'].map((l) => ({ files: [`src/${l}/**/*.ts`], where: l })),
  { files: ['src/bots/*.ts'], where: 'bots' },
  { files: ['src/bots/telegram/**/*.ts'], where: 'bots/telegram' },
  { files: ['src/bots/discord/**/*.ts'], where: 'bots/discord' },
  { files: ['src/bots/web/**/*.ts'], where: 'bots/web' },
  { files: ['src/main.ts', 'src/http/**/*.ts'], where: 'main' },
].map(({ files, where }) => ({
  files,
  rules: { 'no-restricted-imports': ['error', restrictionsFor(where)] },
}));

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'src/db/generated/**', 'bench/results/**', 'test-output/**', 'public/**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in src/config.ts only.' },
      ],
      'no-console': 'error',
    },
  },
  ...layerBlocks,
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
