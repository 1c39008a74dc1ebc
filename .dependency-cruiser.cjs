/**
 * The layers of api/src (docs/architecture.md), checked by `pnpm lint`:
 * - app/ is the composition root: the one place that knows every module; nothing imports it.
 * - the kernel (db/, crypto/, authz/, graphql/, logging/, jobs/, metrics/) never imports a module;
 * - a module imports another module only through its index.ts;
 * - no cycle of runtime imports (type-only imports are erased, so they may close a loop:
 *   entities of two modules name each other's types).
 * Exceptions: none.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycles',
      severity: 'error',
      comment: 'A cycle of runtime imports makes module load order matter; break it (docs/decisions/0007-module-layers.md).',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'kernel-imports-no-module',
      severity: 'error',
      comment: 'The kernel (db, crypto, authz, graphql, logging, jobs, metrics) is shared by every module and knows none of them.',
      from: { path: '^api/src/(db|crypto|authz|graphql|logging|jobs|metrics)/' },
      to: { path: '^api/src/(modules|app)/' },
    },
    {
      name: 'nothing-imports-the-composition-root',
      severity: 'error',
      comment: 'app/ assembles everything; depending on it from a module or the kernel would close a loop.',
      from: { path: '^api/src/', pathNot: '^api/src/app/' },
      to: { path: '^api/src/app/' },
    },
    {
      name: 'modules-meet-through-index',
      severity: 'error',
      comment: "Another module's public surface is its index.ts; its other files are its own business.",
      from: { path: '^api/src/modules/([^/]+)/' },
      to: { path: '^api/src/modules/[^/]+/', pathNot: ['^api/src/modules/$1/', '^api/src/modules/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // ESM TypeScript imports name the emitted file (./x.js) of a source file (./x.ts); the
    // compiler options tell the resolver so.
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
