import { createServer, type Server, type Socket } from 'node:net';
import type { Jt808Header } from '@dgt/jt808';
import { FrameSplitter, MessageId, decodeBody, encodeGeneralAck, encodePacket, encodeRegisterAck, parsePacket } from '@dgt/jt808';

/** A frame the fake platform received, with its decoded message when the codec knows the id. */
export interface Received {
  readonly header: Jt808Header;
  readonly message: ReturnType<typeof decodeBody> | undefined;
}

/**
 * A minimal JT/T 808 platform for testing a terminal's side of the protocol: registers anyone
 * (code `code-<n>`), accepts every code it issued, acknowledges reports, and can push commands
 * (0x8300 …) to the connected terminal with a chosen serial.
 */
export class FakeJt808Platform {
  readonly received: Received[] = [];
  readonly connections: Socket[] = [];
  /** While true it answers nothing (a platform that hangs, a link dead without a reset). */
  silent = false;
  private readonly codes = new Set<string>();
  private serial = 0;
  private server: Server | undefined;

  async listen(): Promise<number> {
    this.server = createServer((socket) => {
      this.connections.push(socket);
      socket.on('error', () => undefined);
      const splitter = new FrameSplitter();
      socket.on('data', (chunk: Buffer) => {
        for (const item of splitter.push(chunk)) if (item.kind === 'frame') this.onFrame(socket, item.bytes);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }

  /** Frames of one message id received so far. */
  of(messageId: number): Received[] {
    return this.received.filter((r) => r.header.messageId === messageId);
  }

  /** Sends a platform command to the newest connection. */
  push(messageId: number, serial: number, body: Uint8Array): void {
    const socket = this.connections.at(-1)!;
    const phone = this.received.at(-1)!.header;
    socket.write(encodePacket({ messageId, flavour: phone.flavour, phone: phone.phone, serial }, body));
  }

  /** Drops every connection, as a network change or a platform restart would. */
  dropAll(): void {
    for (const s of this.connections) s.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((r) => (this.server === undefined ? r() : this.server.close(() => r())));
  }

  private onFrame(socket: Socket, bytes: Uint8Array): void {
    const { header, body } = parsePacket(bytes);
    let message: Received['message'];
    try {
      message = decodeBody(header, body);
    } catch {
      message = undefined;
    }
    this.received.push({ header, message });
    if (this.silent) return;
    const to = { flavour: header.flavour, phone: header.phone, serial: this.serial++ };
    if (header.messageId === MessageId.register) {
      const code = `code-${this.codes.size + 1}`;
      this.codes.add(code);
      socket.write(encodeRegisterAck(to, { repliedSerial: header.serial, result: 0, authCode: code }));
    } else if (header.messageId === MessageId.authenticate) {
      const ok = message?.type === 'authenticate' && this.codes.has(message.authCode);
      socket.write(encodeGeneralAck(to, { repliedSerial: header.serial, repliedMessageId: header.messageId, result: ok ? 0 : 1 }));
    } else if (header.messageId !== MessageId.terminalAck) {
      socket.write(encodeGeneralAck(to, { repliedSerial: header.serial, repliedMessageId: header.messageId, result: 0 }));
    }
  }
}
