// A minimal MQTT 3.1.1 / 5 publisher for the benchmark: CONNECT, QoS 1 PUBLISH, PUBACK,
// DISCONNECT, over a plain TCP socket. Hand-written on purpose: the benchmark's publishers share
// the machine's two cores with the broker and Linli, and mqtt.js spends far more CPU per publish
// (a promise, an options object and a packet generator per message) than the broker does to
// route it — the publishers were the bottleneck of both the baseline and Linli. This client does
// nothing it does not need: no reconnect, no QoS 2, no subscriptions, no properties.
import net from 'node:net';

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function packet(first: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([first]), varint(body.length), body]);
}

export interface RawClientOptions {
  host: string;
  port: number;
  clientId: string;
  username: string;
  password: string;
  protocolVersion: 4 | 5;
  keepalive?: number;
}

/** One connection; `publish` writes a QoS 1 PUBLISH and resolves `onAck` listeners by packet id. */
export class RawMqttClient {
  private socket!: net.Socket;
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly topicHeader: Map<string, Buffer> = new Map();
  /** Called with the packet id of every PUBACK. */
  onAck: (id: number) => void = () => {};

  constructor(private readonly o: RawClientOptions) {}

  connect(timeoutMs = 120_000): Promise<void> {
    const o = this.o;
    const v5 = o.protocolVersion === 5;
    const vh = Buffer.concat([
      str('MQTT'),
      Buffer.from([o.protocolVersion, 0xc2]),
      Buffer.from([(o.keepalive ?? 300) >> 8, (o.keepalive ?? 300) & 0xff]),
      v5 ? Buffer.from([0]) : Buffer.alloc(0),
    ]);
    const body = Buffer.concat([vh, str(o.clientId), str(o.username), str(o.password)]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timeout')), timeoutMs);
      let connected = false;
      this.socket = net.connect({ host: o.host, port: o.port, noDelay: true }, () => this.socket.write(packet(0x10, body)));
      this.socket.on('error', (e) => {
        clearTimeout(timer);
        if (!connected) reject(e);
      });
      this.socket.on('close', () => {
        if (!connected) reject(new Error('closed before CONNACK'));
      });
      this.socket.on('data', (chunk) => {
        this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
        for (;;) {
          if (this.buf.length < 2) return;
          let len = 0;
          let mul = 1;
          let i = 1;
          for (;;) {
            if (i >= this.buf.length) return;
            const b = this.buf[i++]!;
            len += (b & 0x7f) * mul;
            mul *= 128;
            if (!(b & 0x80)) break;
          }
          if (this.buf.length < i + len) return;
          const type = this.buf[0]! >> 4;
          const p = this.buf.subarray(i, i + len);
          this.buf = this.buf.subarray(i + len);
          if (type === 2) {
            clearTimeout(timer);
            if (p[1] !== 0) return reject(new Error(`CONNACK code ${p[1]}`));
            connected = true;
            resolve();
          } else if (type === 4) this.onAck(p.readUInt16BE(0));
        }
      });
    });
  }

  /** Writes a QoS 1 PUBLISH; returns its packet id. `cork` batching is the caller's. */
  publish(topic: string, payload: string): number {
    const id = this.nextId;
    this.nextId = this.nextId === 65535 ? 1 : this.nextId + 1;
    let th = this.topicHeader.get(topic);
    if (!th) {
      th = str(topic);
      this.topicHeader.set(topic, th);
    }
    const pl = Buffer.from(payload, 'utf8');
    const props = this.o.protocolVersion === 5 ? 1 : 0;
    const rl = th.length + 2 + props + pl.length;
    const head = varint(rl);
    const out = Buffer.allocUnsafe(1 + head.length + rl);
    let at = 0;
    out[at++] = 0x32;
    head.copy(out, at);
    at += head.length;
    th.copy(out, at);
    at += th.length;
    out.writeUInt16BE(id, at);
    at += 2;
    if (props) out[at++] = 0;
    pl.copy(out, at);
    this.socket.write(out);
    return id;
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end(Buffer.from([0xe0, 0x00]));
      setTimeout(() => this.socket.destroy(), 2000).unref();
    });
  }
}
