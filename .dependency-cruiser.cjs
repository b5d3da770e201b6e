/**
 * The layers of backup-chatops, from the bottom (docs/architecture.md, "Layers"):
 *   domain, logger.ts, metrics/    pure types and rules; leaf utilities that import nothing of the bot
 *   store, azure, identity, cards  each imports only the bottom layer
 *   jobs, approvals, fleet         application services: emit facts through ports
 *   chat                           commands and grammar
 *   conversation                   the command lifecycle and all delivery
 *   channels/*, http               platform adapters and the HTTP server
 *   main.ts, config.ts             the composition root
 * sandbox/ (local Azure), preflight/ and audit-export-cli.ts (command-line tools) are programs of
 * their own. `npm run lint` runs this: an import against the layers, or a circle, fails it.
 */
const BOTTOM = '^src/(domain/|logger\\.ts$|metrics/)';

/** A rule forbidding `from` to import anything but its own folder and `allowed`. */
function layer(name, from, allowed) {
  return {
    name,
    severity: 'error',
    from: { path: from },
    to: { path: '^src/', pathNot: [from, BOTTOM, ...allowed] },
  };
}

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'bottom-is-pure',
      comment: 'domain/, logger.ts and metrics/ import nothing of the bot above them.',
      severity: 'error',
      from: { path: BOTTOM },
      to: { path: '^src/', pathNot: BOTTOM },
    },
    layer('store-on-bottom-only', '^src/store/', []),
    layer('azure-on-bottom-only', '^src/azure/', []),
    layer('identity-on-bottom-only', '^src/identity/', []),
    layer('cards-on-bottom-only', '^src/cards/', []),
    layer('services-below-chat', '^src/(jobs|approvals|fleet)/', [
      '^src/(jobs|approvals|fleet|store|azure|identity)/',
      '^src/cards/(views|verbs)\\.ts$',
    ]),
    layer('chat-below-conversation', '^src/chat/', [
      '^src/(jobs|approvals|fleet|store|azure|identity|cards)/',
    ]),
    layer('conversation-below-channels', '^src/conversation/', [
      '^src/(chat|jobs|approvals|fleet|store|azure|identity|cards)/',
    ]),
    layer('channels-and-http-below-root', '^src/(channels|http)/', [
      '^src/(channels|http|conversation|chat|jobs|approvals|fleet|store|azure|identity|cards)/',
    ]),
    {
      name: 'one-platform-per-channel',
      comment: 'A channel translates for its own platform; what two share lives beside them in channels/.',
      severity: 'error',
      from: { path: '^src/channels/(teams|slack|web)/' },
      to: { path: '^src/channels/(teams|slack|web)/', pathNot: '^src/channels/$1/' },
    },
    layer('sandbox-is-its-own-program', '^src/sandbox/', []),
    layer('preflight-uses-services', '^src/preflight/', [
      '^src/(azure|identity|cards|store)/',
      '^src/config\\.ts$',
      '^src/sandbox/',
    ]),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
