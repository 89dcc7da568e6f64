import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';

/** Where the EventStoreDB contract runs, or why it cannot. */
export type EsdbTarget = { kind: 'url'; url: string } | { kind: 'container'; image: string } | { kind: 'unavailable'; reason: string };

export const ESDB_IMAGE = process.env.EVENTSTORE_IMAGE ?? 'eventstore/eventstore:24.10';

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref()),
  ]);
}

/**
 * `EVENTSTORE_URL` if set; otherwise a container when testcontainers finds a working runtime.
 * Detection is bounded: a docker CLI without an engine must fail in seconds, not hang.
 */
export async function resolveEsdbTarget(): Promise<EsdbTarget> {
  const url = process.env.EVENTSTORE_URL;
  if (url) return { kind: 'url', url };
  try {
    await within(5_000, getContainerRuntimeClient(), 'container runtime detection');
    return { kind: 'container', image: ESDB_IMAGE };
  } catch (err) {
    return { kind: 'unavailable', reason: `EVENTSTORE_URL is not set and no container runtime was found (${(err as Error).message})` };
  }
}

/** An insecure single node, in memory, started for the suite. */
export async function startEsdb(image: string): Promise<{ url: string; container: StartedTestContainer }> {
  const container = await new GenericContainer(image)
    .withExposedPorts(2113)
    .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true', EVENTSTORE_RUN_PROJECTIONS: 'All', EVENTSTORE_CLUSTER_SIZE: '1' })
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
    .withStartupTimeout(120_000)
    .start();
  return { url: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`, container };
}
