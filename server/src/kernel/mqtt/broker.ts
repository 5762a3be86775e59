// Embedded MQTT broker (Aedes) for the single-machine default. When the port is taken (for
// example by a Mosquitto on the same machine) the app keeps running without it and says so.
import net from 'node:net';
import type { Logger } from 'pino';

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(port: number, host: string, log: Logger): Promise<EmbeddedBroker | null> {
  if (port === 0) {
    log.info('mqtt: embedded broker is off (LINLI_MQTT_PORT=0)');
    return null;
  }
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  const server = net.createServer(aedes.handle as any);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    await new Promise<void>((r) => aedes.close(() => r()));
    if (err.code === 'EADDRINUSE') {
      log.warn(
        `mqtt: port ${port} is already in use (another MQTT broker such as Mosquitto?). ` +
          `The embedded broker is OFF. Set LINLI_MQTT_PORT to a free port (or 0 to keep it off), ` +
          `or point Linli at the running broker with LINLI_MQTT_URL=mqtt://127.0.0.1:${port}.`,
      );
      return null;
    }
    throw e;
  }
  const actual = (server.address() as net.AddressInfo).port;
  log.info(`mqtt: embedded broker listening on ${host}:${actual}`);
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => aedes.close(() => resolve()));
      }),
  };
}
