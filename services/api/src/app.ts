import { RoadIndex } from '@dgt/geo';
import { randomBytes } from 'node:crypto';
import { topicNames, type Bus, type BusConsumer } from '@dgt/bus';
import type { EventStore, EventStoreConfig } from '@dgt/eventstore';
import { buildServiceApp, type ServiceApp } from '@dgt/http';
import type { CaseReadModel, ReadModelStore } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { startAlertConsumer } from './alerts/alertConsumer.ts';
import { AlertHub, type AlertHubSettings } from './alerts/alertHub.ts';
import { registerApiMetrics } from './apiMetrics.ts';
import { auditRunnerFor, type AuditRunner } from './audits/auditRunner.ts';
import { AuditSlots } from './audits/auditSlots.ts';
import { reportLinkSigner, type ReportLinkSigner } from './audits/reportLinks.ts';
import type { ApiConfig } from './env.ts';
import type { DriverMessagePolicy } from './driverMessages/policyConfig.ts';
import { type CasePolicy, defaultCasesConfig } from '@dgt/cases';
import type { SigningKey } from '@dgt/evidence';
import { FleetResponseCache } from './fleet/fleetResponseCache.ts';
import { docsRoutes, registerOpenApi } from './openapi.ts';
import { registerRateLimit } from './rateLimit.ts';
import { gatewayLinkSource, inProcessLinkSource, type LinkSource } from './platformLinks/linkSources.ts';
import type { LinkStatus } from './platformLinks/linkStatus.ts';
import { readModelErrorToAppError } from './readModelErrors.ts';
import { ReportArchive } from './reportArchive.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audits.ts';
import { caseRoutes } from './routes/cases.ts';
import { contentStoreFor } from './cases/contentStore.ts';
import { carrierRoutes } from './routes/carriers.ts';
import { consignmentRoutes } from './routes/consignments.ts';
import { alertAcknowledgementRoutes } from './routes/alertAcknowledgements.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { PlaceNamer } from './placeNames.ts';
import { fleetRoutes } from './routes/fleet.ts';
import { platformLinkRoutes } from './routes/platformLinks.ts';
import { pointsRoutes } from './routes/points.ts';
import { evidencePackRoutes } from './routes/evidencePack.ts';
import { startPolicyRunnerFor } from './cases/policyRunnerHook.ts';
import { LedgerRepository } from './cases/ledgerRepository.ts';
import { startPointsReconciler } from './cases/pointsReconciler.ts';
import { vehicleRoutes } from './routes/vehicles.ts';
import { driverMessageRoutes } from './routes/driverMessages.ts';
import { busDriverMessageRequests } from './driverMessages/requestPublisher.ts';
import { startDriverMessagePolicyFor } from './driverMessages/policyRunnerHook.ts';
import { violationRoutes } from './routes/violations.ts';
import { statisticsRoutes } from './routes/statistics.ts';
import { planningRoutes } from './routes/planning.ts';
import { PlanningCache } from './planning/planningCache.ts';
import { zoneRoutes } from './routes/zones.ts';
import { publicSafetyCodeRoutes, safetyCodeRoutes } from './routes/safetyCodes.ts';
import { safetyCodeKeyring } from './safetyCodes/safetyCodeKeys.ts';
import type { SafetyCodeSecrets } from './safetyCodes/safetyCodeKeys.ts';

export interface ApiAppOptions {
  readonly config: ApiConfig;
  /** Owned by the caller: the app never closes it. */
  readonly store: EventStore;
  /**
   * Where audit worker threads open `store` on their own; default `config.eventStore`. A process
   * that opened its store from other settings than the API's environment (`npm start`) says so.
   * A memory store has nothing to open: its audits run on the API thread.
   */
  readonly auditStore?: EventStoreConfig;
  /** Runs the audits; default a worker per audit (see auditRunnerFor). Tests pass their own. */
  readonly auditRunner?: AuditRunner;
  /** Owned by the caller: the projector's store (shared in one process, or its SQLite file opened read-only). */
  readonly readModels: ReadModelStore;
  /**
   * Where the case list is kept, written by the API's case index only (a writable store: not the
   * projector's file opened read-only). Default: in memory, rebuilt from the event store at each
   * start. Owned by the caller.
   */
  readonly caseReadModel?: CaseReadModel;
  /** The alert topic is consumed from it; without a bus the stream stays silent. Owned by the caller. */
  readonly bus?: Bus;
  /** Overrides of `config.alerts` (tests shorten the heartbeat). */
  readonly alerts?: Partial<AlertHubSettings>;
  readonly registry?: Registry;
  readonly defaultMetrics?: boolean;
  /** Overrides `config.evidenceSigningKey` (the stack's demo key). */
  readonly evidenceSigningKey?: SigningKey | null;
  /** Overrides `config.safetyCodeSecrets` (the stack's demo key). */
  readonly safetyCodeSecrets?: SafetyCodeSecrets | null;
  /** Overrides `config.casePolicy`: the auto-open policy's runner follows the store while the app runs (null: off). */
  readonly casePolicy?: CasePolicy | null;
  /** Overrides `config.driverMessagePolicy` (null: off). The policy needs `bus`: without one it does not run. */
  readonly driverMessagePolicy?: DriverMessagePolicy | null;
  /** Wall clock for audit records, compliance windows and default track windows (tests pin it). */
  readonly now?: () => Date;
  /**
   * The JT/T 809 gateway in this process (`npm start`): its link status. Given, it replaces
   * `config.platformLinks` (gateways asked over HTTP); neither → GET /v1/platform-links says `configured: false`.
   */
  readonly platformLinks?: () => Promise<readonly LinkStatus[]>;
}

/**
 * The query API as a fastify app, ready for `inject` or `listen`. Each area registers its routes
 * from its own plugin under routes/; the /v1 routes share one rate limit per API key.
 */
export async function buildApiApp(options: ApiAppOptions): Promise<ServiceApp> {
  const { config, store, readModels, bus, registry = new Registry(), defaultMetrics, now = () => new Date() } = options;
  const app = await buildServiceApp({
    name: 'api',
    apiKeys: config.apiKeys,
    registry,
    logLevel: config.logLevel,
    ready: async () => ({ eventStore: { ok: true }, readModels: await readModelsCheck(readModels) }),
    ...(defaultMetrics === undefined ? {} : { defaultMetrics }),
  });
  const metrics = registerApiMetrics(registry, readModels);
  const safetyCodeSecrets = options.safetyCodeSecrets === undefined ? (config.safetyCodeSecrets ?? null) : options.safetyCodeSecrets;
  const safetyCodeKeys = safetyCodeSecrets === null ? null : safetyCodeKeyring(safetyCodeSecrets);
  const casesConfig = config.casesConfig ?? defaultCasesConfig;
  const places = new PlaceNamer(config.counties, config.roads === undefined ? undefined : new RoadIndex(config.roads));
  const hub = new AlertHub({ ...config.alerts, ...options.alerts }, metrics);
  app.addHook('preClose', async () => hub.close());
  const auditRunner = options.auditRunner ?? auditRunnerFor(options.auditStore ?? config.eventStore, store);
  const auditSlots = new AuditSlots(config.audits.running, config.audits.queued);
  app.addHook('preClose', async () => {
    auditSlots.close();
    await auditRunner.close();
  });
  await registerOpenApi(app);
  // Requests to message drivers go on the bus, where the JT/T 808 gateways read them.
  const driverMessages = bus === undefined ? undefined : busDriverMessageRequests(bus, topicNames(config.bus.topics).consignments);
  if (driverMessages !== undefined) app.addHook('onClose', async () => driverMessages.close());

  await app.register(async (v1) => {
    await registerRateLimit(v1, config.rateLimitPerMinute);
    v1.setErrorHandler(async (error) => {
      throw readModelErrorToAppError(error);
    });
    await v1.register(fleetRoutes, { cache: new FleetResponseCache({ readModels, freshMs: config.fleetCacheFreshMs }) });
    await v1.register(vehicleRoutes, { readModels, store, now, places });
    await v1.register(driverMessageRoutes, { readModels, store, requests: driverMessages, now });
    await v1.register(violationRoutes, { readModels, places });
    await v1.register(statisticsRoutes, { readModels, now, ...(config.counties === undefined ? {} : { counties: config.counties }) });
    await v1.register(alertAcknowledgementRoutes, { store, now });
    await v1.register(consignmentRoutes, { readModels });
    await v1.register(carrierRoutes, { readModels, rules: config.complianceRules, store, casesConfig, now });
    await v1.register(zoneRoutes, { readModels });
    await v1.register(planningRoutes, { cache: new PlanningCache({ readModels, freshMs: config.fleetCacheFreshMs }) });
    await v1.register(safetyCodeRoutes, { keys: safetyCodeKeys, store, readModels, ...(config.publicBaseUrl === undefined ? {} : { publicBaseUrl: config.publicBaseUrl }), ...(config.labelFontFile === undefined ? {} : { labelFontFile: config.labelFontFile }) });
    await v1.register(alertRoutes, { hub });
    await v1.register(platformLinkRoutes, { sources: linkSources(options), now });
    await v1.register(auditRoutes, { store, runner: auditRunner, slots: auditSlots, archive: new ReportArchive(config.auditReportsKept), links: reportLinksOf(config), now });
    const caseFiles = contentStoreFor(config.casesContentDir, app.log);
    await v1.register(caseRoutes, { store, content: caseFiles, runner: auditRunner, slots: auditSlots, config: casesConfig, now, ...(options.caseReadModel === undefined ? {} : { caseReadModel: options.caseReadModel }), ...(config.counties === undefined ? {} : { counties: config.counties }) });
    await v1.register(pointsRoutes, { store, content: caseFiles, config: casesConfig, now });
    await v1.register(evidencePackRoutes, { store, content: caseFiles, signingKey: options.evidenceSigningKey ?? config.evidenceSigningKey ?? null, toolVersion: `dgt ${apiVersion}`, now });
  });
  // A disposal's points entry lost between its two appends (a crash) is recorded again from the case.
  const reconciler = startPointsReconciler({ store, ledgers: new LedgerRepository(store), onError: (error) => app.log.error({ err: error }, 'a disposal\'s points entry could not be made sure of; it is tried again at the next start') });
  app.addHook('onClose', async () => reconciler.stop());
  const casePolicy = options.casePolicy === undefined ? (config.casePolicy ?? null) : options.casePolicy;
  if (casePolicy !== null) startPolicyRunnerFor(app, { store, readModels, policy: casePolicy, config: casesConfig, now });
  const messagePolicy = options.driverMessagePolicy === undefined ? (config.driverMessagePolicy ?? null) : options.driverMessagePolicy;
  if (messagePolicy !== null && driverMessages !== undefined) startDriverMessagePolicyFor(app, { store, readModels, policy: messagePolicy, requests: driverMessages, now });
  // Public (no key) with its own per-IP limit: the roadside scan page and its JSON.
  await app.register(publicSafetyCodeRoutes, { keys: safetyCodeKeys, store, readModels });
  await app.register(docsRoutes);
  await app.register(dashboardRoutes, { safetyCodes: safetyCodeKeys !== null, tileUrl: config.dashboardTileUrl, tileDatum: config.dashboardTileDatum ?? 'wgs84', ...(config.dashboardTileAttribution === undefined ? {} : { tileAttribution: config.dashboardTileAttribution }), ...(config.roads === undefined ? {} : { roads: config.roads }), ...(config.places === undefined ? {} : { places: config.places }), ...(config.countyBoundaries === undefined ? {} : { countyBoundaries: config.countyBoundaries }) });

  if (bus !== undefined) {
    const consumer: BusConsumer = await startAlertConsumer({
      bus,
      topic: topicNames(config.bus.topics).alerts,
      groupId: config.alerts.groupId,
      hub,
      metrics,
      onError: (error) => app.log.error({ err: error }, 'alert stream consumer failed; the batch will be redelivered'),
    });
    app.addHook('onClose', async () => consumer.stop());
  }
  return app;
}

function linkSources({ platformLinks, config }: ApiAppOptions): LinkSource[] {
  if (platformLinks !== undefined) return [inProcessLinkSource(platformLinks)];
  const remote = config.platformLinks;
  return remote === undefined ? [] : remote.urls.map((url) => gatewayLinkSource(url, remote.apiKey, remote.timeoutMs));
}

/** The configured link secret, or this process's own (see ApiConfig.reportLinks). */
function reportLinksOf(config: ApiConfig): ReportLinkSigner {
  const secret = config.reportLinks?.secret ?? randomBytes(32);
  return reportLinkSigner(secret, config.reportLinks?.ttlMs ?? 900_000);
}

/** The API's version, named in evidence packs (`toolVersion`). */
const apiVersion = '0.1.0';

async function readModelsCheck(readModels: ReadModelStore): Promise<{ ok: boolean; detail?: string }> {
  try {
    await readModels.generation();
    return { ok: true };
  } catch {
    return { ok: false, detail: 'the read-model store does not answer' };
  }
}
