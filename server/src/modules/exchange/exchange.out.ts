// The records-out half of the exchange module, wired: parties, agreements, the signed API, the
// message log (checkpointed as the chain "exchange") and its jobs.
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { PartiesService } from './parties.js';
import { AgreementsService } from './agreements.js';
import { ExchangeApi } from './api.js';
import { registerExchangeApiRoutes } from './api.routes.js';
import { registerExchangeConsoleRoutes } from './exchange.routes.js';
import { MessageLogBrowser } from './msglog.browse.js';
import { messageChain } from './msglog.js';
import { loadPlatformSigner } from './signing.js';
import type { ExchangeOutTables } from './exchange.tables.js';

export const recordsOutJobs = ['exchange.checkpoint', 'exchange.nonces'];

export function registerRecordsOut(app: App, k: Kernel): void {
  const parties = new PartiesService(k);
  const agreements = new AgreementsService(k, parties);
  const signer = loadPlatformSigner(k.config.dataDir);
  const chain = k.checkpoints.register(messageChain, k.jobs);
  registerExchangeConsoleRoutes(app, parties, agreements, new MessageLogBrowser(k, parties));
  registerExchangeApiRoutes(app, k, new ExchangeApi(k, parties, agreements), signer, chain);
  // nonces are kept while their signature could still be accepted, then dropped
  k.jobs.register({
    name: 'exchange.nonces',
    everyMs: 10 * 60_000,
    run: async () => {
      await tablesOf<ExchangeOutTables>(k.db).deleteFrom('exchange_nonces').where('expires_at', '<', k.clock.now().toISOString()).execute();
    },
  });
}
