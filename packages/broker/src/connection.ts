import { errorFields, type Logger } from "@w2meet/kit";
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Message, type Options } from "amqplib";

/** One live connection to RabbitMQ and its confirm channel for publishing. */
export type BrokerSession = { connection: ChannelModel; publisher: ConfirmChannel; returned: Set<string> };

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;
const CONNECT_TIMEOUT_MS = 2000;
// Short heartbeats notice a broker that vanished without closing the socket within ~20 s.
const HEARTBEAT_SECONDS = 10;

const withHeartbeat = (url: string) => {
  const parsed = new URL(url);
  if (!parsed.searchParams.has("heartbeat")) parsed.searchParams.set("heartbeat", String(HEARTBEAT_SECONDS));
  return parsed.toString();
};

/**
 * Keeps one connection to RabbitMQ open. amqplib does not reconnect by itself: when the connection or
 * a channel closes, this reconnects with growing delays, declares the topology again, reopens the
 * confirm channel and runs every `onConnected` setup (e.g. the consumer's channel) again.
 */
export function createBroker(options: { url: string; logger: Logger; declare: (channel: Channel) => Promise<void> }) {
  const { logger } = options;
  const url = withHeartbeat(options.url);
  const setups: ((session: BrokerSession) => Promise<void>)[] = [];
  const connectedListeners: (() => void)[] = [];
  let session: BrokerSession | null = null;
  let stopped = false;
  let started = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let lastError = "not connected yet";

  const scheduleReconnect = (reason: string) => {
    if (stopped || timer) return;
    lastError = reason;
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** failures);
    const delayMs = Math.round(base * (0.8 + Math.random() * 0.4));
    failures += 1;
    logger.warn("rabbitmq unavailable, reconnecting", { error: reason, attempt: failures, delay_ms: delayMs });
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delayMs);
  };

  const lose = (current: BrokerSession, reason: string) => {
    if (session === current) session = null;
    scheduleReconnect(reason);
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    let connection: ChannelModel | undefined;
    try {
      connection = await amqp.connect(url, { timeout: CONNECT_TIMEOUT_MS });
      const opened = connection;
      opened.on("error", (error: Error) => logger.warn("rabbitmq connection error", { error: error.message }));
      opened.on("blocked", (reason: string) => logger.warn("rabbitmq blocked publishing", { reason }));
      const publisher = await opened.createConfirmChannel();
      const current: BrokerSession = { connection: opened, publisher, returned: new Set() };
      opened.once("close", (error?: Error) => lose(current, error?.message ?? "connection closed"));
      publisher.on("error", (error: Error) => logger.warn("rabbitmq publisher channel error", { error: error.message }));
      // The broker returns a mandatory message no queue took before it confirms it (RabbitMQ orders the two).
      publisher.on("return", (message: Message) => {
        if (message.properties.messageId) current.returned.add(String(message.properties.messageId));
      });
      // Any channel closing behind our back ends the whole connection, so one path rebuilds everything.
      publisher.once("close", () => void (stopped ? undefined : opened.close().catch(() => undefined)));
      await options.declare(publisher);
      session = current;
      for (const setup of setups) await setup(current);
      if (stopped) return void (await opened.close().catch(() => undefined));
      failures = 0;
      logger.info("rabbitmq connected");
      for (const listener of connectedListeners) listener();
    } catch (error) {
      session = null;
      await connection?.close().catch(() => undefined);
      scheduleReconnect(error instanceof Error ? error.message : String(error));
    }
  }

  return {
    /** Connects in the background; the process serves (and accepts tasks) meanwhile. */
    start() {
      if (started) return;
      started = true;
      void connect();
    },
    /** Runs `setup` on every new connection, after the topology is declared. A rejection reconnects. */
    onConnected(setup: (session: BrokerSession) => Promise<void>) {
      setups.push(setup);
    },
    /** Calls `listener` each time a connection is ready, e.g. to publish what waited meanwhile. */
    onReady(listener: () => void) {
      connectedListeners.push(listener);
    },
    connected: () => session !== null,
    /**
     * Publishes on the confirm channel; resolves once the broker has the message, rejects otherwise. A
     * `mandatory` message (it needs a `messageId`) that no queue took is returned by the broker: that rejects too.
     */
    publish(exchange: string, routingKey: string, content: Buffer, publishOptions: Options.Publish): Promise<void> {
      const current = session;
      if (!current) return Promise.reject(new Error(`RabbitMQ is not connected: ${lastError}`));
      const messageId = publishOptions.mandatory ? String(publishOptions.messageId) : undefined;
      return new Promise((resolve, reject) => {
        const confirmed = (error: unknown) => {
          if (error) return reject(error instanceof Error ? error : new Error(`RabbitMQ refused the message: ${String(error)}`));
          if (messageId !== undefined && current.returned.delete(messageId)) {
            return reject(new Error(`No queue is bound to take ${routingKey} on ${exchange} yet`));
          }
          resolve();
        };
        try {
          current.publisher.publish(exchange, routingKey, content, publishOptions, confirmed);
        } catch (error) {
          reject(error);
        }
      });
    },
    /** Resolves while connected; for health checks. */
    async check(): Promise<void> {
      if (!session) throw new Error(`not connected: ${lastError}`);
    },
    /** Stops reconnecting and closes the connection (its channels close with it). */
    async close(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      const current = session;
      session = null;
      await current?.connection.close().catch((error: unknown) => logger.debug("rabbitmq close failed", errorFields(error)));
    },
  };
}
export type Broker = ReturnType<typeof createBroker>;
