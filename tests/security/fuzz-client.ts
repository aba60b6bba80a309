/**
 * The fuzzer, run as its own process (`tsx tests/security/fuzz-client.ts`) so generating and
 * sending thousands of malformed messages does not slow the process that measures the clean
 * relay. Reads FUZZ_CONFIG (JSON) and prints one JSON line of counts at the end.
 */
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { clientToServer, errorCodeSchema, PROTOCOL_VERSION } from '../../shared/protocol';
import { makeState, makeTrial, poseFrameText } from './harness';

export interface FuzzConfig {
  url: string;
  /** Several tokens: the server allows at most 4 open sockets per token. */
  deviceTokens: string[];
  therapistTokens: string[];
  sessionId: string;
  patientId: string;
  messages: number;
  seed: number;
  sockets: number;
  /** Per socket, kept under the server's event budget so most messages reach validation. */
  perSocketPerSecond: number;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  rawPackets: number;
  acked: number;
  ackOk: number;
  ackErrors: Record<string, number>;
  /** Answers that are neither `{ ok: true, data }` nor a typed error. */
  untypedAnswers: number;
  serverErrors: Record<string, number>;
  /** Acknowledged emits without an answer although the socket stayed connected. */
  unanswered: number;
  /** Acknowledged emits lost because the server closed the socket (oversize, unparsable). */
  lostToDisconnect: number;
  disconnects: Record<string, number>;
  durationMs: number;
}

type EventName = keyof typeof clientToServer;
const EVENTS = Object.keys(clientToServer) as EventName[];
const STRANGE_EVENTS = [
  'error',
  'disconnect',
  'disconnecting',
  'connect',
  'newListener',
  'removeListener',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'live:pose',
  'server:error',
  'control:apply',
  'x'.repeat(5000),
];

function validPayload(event: EventName, config: FuzzConfig, n: number): unknown {
  const { sessionId, patientId } = config;
  switch (event) {
    case 'session:start':
      return { sessionId, mode: 'live', startedAt: new Date().toISOString() };
    case 'session:end':
      return { sessionId, endedAt: new Date().toISOString(), reason: 'patient' };
    case 'session:state':
      return makeState(sessionId);
    case 'pose:frame':
      return poseFrameText(n);
    case 'trial:submit':
      return makeTrial(sessionId, (n % 1000) + 1, 30);
    case 'rating:submit':
      return {
        sessionId,
        setIndex: n % 400,
        arm: 'right',
        effort: (n % 21) / 2,
        pain: n % 11,
        skipped: false,
        painPauseAt: 5,
        ratedAt: new Date().toISOString(),
      };
    case 'calibration:save':
      return {};
    case 'patient:watch':
    case 'patient:unwatch':
      return { patientId };
    case 'control:send':
      return { sessionId, commandId: crypto.randomUUID(), command: { type: 'pause' } };
  }
}

const deepNest = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
};

/** Values that break naive code: wrong types, extremes, NaN, binary, nesting, long strings. */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    0,
    -0,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    -1e308,
    '',
    '0',
    '__proto__',
    '{"$gt":""}',
    "'; DROP TABLE trials;--",
    '<script>alert(1)</script>',
    '2026-13-45T99:99:99Z',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 64 }),
  fc.string({ minLength: 10_000, maxLength: 60_000 }),
  fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 50 }),
  fc.integer({ min: 50, max: 2000 }).map((d) => deepNest(d, 1)),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.anything({ maxDepth: 2 }), { maxKeys: 30 }),
  fc.constant({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
);

/** A valid payload with one field replaced, removed, or an extra field added. */
function mutate(
  base: unknown,
  rng: fc.Arbitrary<[number, unknown, string]>,
): fc.Arbitrary<unknown> {
  return rng.map(([choice, value, extraKey]) => {
    if (typeof base !== 'object' || base === null) return value;
    const copy = structuredClone(base) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const key = keys[choice % Math.max(1, keys.length)];
    if (key === undefined) return { [extraKey]: value };
    const kind = choice % 3;
    if (kind === 0) copy[key] = value;
    else if (kind === 1) delete copy[key];
    else copy[extraKey] = value;
    return copy;
  });
}

const mutationInputs = fc.tuple(fc.nat(), weirdValue, fc.string({ minLength: 1, maxLength: 12 }));

interface Message {
  event: string;
  args: unknown[];
  withAck: boolean;
  /** A raw Socket.IO packet string sent as is (malformed framing, reserved names). */
  raw?: string;
}

function messageArbitrary(config: FuzzConfig): fc.Arbitrary<Message> {
  const event = fc.constantFrom(...EVENTS);
  const structured = fc.tuple(event, fc.nat(), fc.boolean()).chain(([name, n, withAck]) =>
    fc
      .oneof(
        { weight: 5, arbitrary: mutate(validPayload(name, config, n), mutationInputs) },
        { weight: 2, arbitrary: weirdValue },
        {
          weight: 2,
          arbitrary: fc.anything({ maxDepth: 3, withTypedArray: true, withNullPrototype: true }),
        },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)) },
        {
          weight: 1,
          arbitrary: fc
            .uint8Array({ maxLength: 300 })
            .map((b) => Buffer.from(b).toString('base64')),
        },
        { weight: 1, arbitrary: fc.constant(validPayload(name, config, n)) },
      )
      .chain((payload) =>
        fc
          .array(weirdValue, { maxLength: 3 })
          .map((extra): Message => ({ event: name, args: [payload, ...extra], withAck })),
      ),
  );
  const strangeName = fc
    .tuple(
      fc.oneof(fc.constantFrom(...STRANGE_EVENTS), fc.string({ maxLength: 80 })),
      weirdValue,
      fc.boolean(),
    )
    .map(([name, payload, withAck]): Message => ({ event: name, args: [payload], withAck }));
  const raw = fc
    .oneof(
      fc.constantFrom(
        '42["trial:submit",',
        '42[1,2,3]',
        '42["error",{"x":1}]',
        '42["disconnect"]',
        '42["newListener","trial:submit"]',
        '421["__proto__",{}]',
        '42{}',
        '4{"not":"a packet"}',
        '451-["pose:frame",{"_placeholder":true,"num":7}]',
        '49["x"]',
        '2probe',
      ),
      fc.string({ maxLength: 200 }).map((s) => `42${s}`),
    )
    .map((packet): Message => ({ event: '(raw)', args: [], withAck: false, raw: packet }));
  return fc.oneof(
    { weight: 85, arbitrary: structured },
    { weight: 10, arbitrary: strangeName },
    { weight: 5, arbitrary: raw },
  );
}

type Loose = {
  connected: boolean;
  io: { engine: { send(packet: string): void } };
  timeout(ms: number): { emit(event: string, ...args: unknown[]): void };
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  connect(): void;
};

async function run(config: FuzzConfig): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed: config.seed,
    sent: 0,
    rawPackets: 0,
    acked: 0,
    ackOk: 0,
    ackErrors: {},
    untypedAnswers: 0,
    serverErrors: {},
    unanswered: 0,
    lostToDisconnect: 0,
    disconnects: {},
    durationMs: 0,
  };
  const bump = (counts: Record<string, number>, key: string) =>
    (counts[key] = (counts[key] ?? 0) + 1);
  // A few drawn messages use names socket.io-client itself refuses to send: draw spares.
  const messages = fc.sample(messageArbitrary(config), {
    numRuns: Math.ceil(config.messages * 1.05),
    seed: config.seed,
  });
  const started = Date.now();

  const sockets: Socket[] = [];
  for (let i = 0; i < config.sockets; i++) {
    const pool = i % 3 === 2 ? config.therapistTokens : config.deviceTokens;
    const token = pool[Math.floor(i / 3) % pool.length]!;
    const socket = io(config.url, {
      auth: { protocolVersion: PROTOCOL_VERSION, token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    const s = socket as unknown as Loose;
    s.on('server:error', (e) => bump(report.serverErrors, String((e as { code?: unknown })?.code)));
    s.on('disconnect', (reason) => bump(report.disconnects, String(reason)));
    s.on('control:apply', (...args) => {
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ applied: false, error: 'fuzzer' });
    });
    sockets.push(socket);
  }
  await Promise.all(
    sockets.map(
      (s) => new Promise((r) => (s.connected ? r(null) : s.once('connect', () => r(null)))),
    ),
  );

  const pending = new Set<Promise<void>>();
  const intervalMs = 1000 / config.perSocketPerSecond;
  await Promise.all(
    sockets.map(async (socket, index) => {
      const s = socket as unknown as Loose;
      for (let m = index; m < messages.length; m += sockets.length) {
        if (report.sent >= config.messages) break;
        const message = messages[m]!;
        const tick = new Promise((r) => setTimeout(r, intervalMs));
        if (!s.connected) {
          await new Promise((r) => {
            const wait = setInterval(() => s.connected && (clearInterval(wait), r(null)), 50);
          });
        }
        report.sent++;
        if (message.raw !== undefined) {
          report.rawPackets++;
          s.io.engine.send(message.raw);
        } else if (message.withAck) {
          report.acked++;
          let disconnectedMeanwhile = false;
          const onDisconnect = () => (disconnectedMeanwhile = true);
          s.on('disconnect', onDisconnect);
          const answered = new Promise<void>((resolve) => {
            try {
              s.timeout(8000).emit(
                message.event,
                ...message.args,
                (err: unknown, answer: unknown) => {
                  (socket as unknown as { off(e: string, l: () => void): void }).off(
                    'disconnect',
                    onDisconnect,
                  );
                  if (err) {
                    if (disconnectedMeanwhile) report.lostToDisconnect++;
                    else report.unanswered++;
                  } else if ((answer as { ok?: unknown })?.ok === true) {
                    report.ackOk++;
                  } else {
                    const code = (answer as { error?: { code?: unknown } })?.error?.code;
                    if (errorCodeSchema.safeParse(code).success)
                      bump(report.ackErrors, String(code));
                    else report.untypedAnswers++;
                  }
                  resolve();
                },
              );
            } catch (e) {
              // socket.io-client refuses reserved event names itself: nothing reached the server.
              report.acked--;
              report.sent--;
              void e;
              resolve();
            }
          });
          pending.add(answered);
          void answered.then(() => pending.delete(answered));
        } else {
          try {
            s.emit(message.event, ...message.args);
          } catch {
            report.sent--;
          }
        }
        await tick;
      }
    }),
  );
  await Promise.all(pending);
  report.durationMs = Date.now() - started;
  for (const s of sockets) s.close();
  return report;
}

const config = JSON.parse(process.env.FUZZ_CONFIG ?? '{}') as FuzzConfig;
run(config).then(
  (report) => {
    console.log(`FUZZ_REPORT ${JSON.stringify(report)}`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
