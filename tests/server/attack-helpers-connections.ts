import http from 'node:http';
import net from 'node:net';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER } from '../../shared/protocol';

/** What a raw connection saw: everything the server sent, and whether it closed before we were done. */
export interface RawOutcome {
  received: string;
  closedEarly: boolean;
}

/**
 * Opens a raw TCP connection and sends `parts` one at a time, `gapMs` apart,
 * like a client on a very slow link (or an attacker holding a socket open).
 * Resolves when the server closes the connection or, after the last part,
 * when it has answered.
 */
export function trickle(port: number, parts: string[], gapMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const sendNext = () => {
      if (socket.destroyed) return;
      socket.write(parts[sent++]!);
      if (sent < parts.length) timer = setTimeout(sendNext, gapMs);
    };
    socket.on('connect', sendNext);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // Complete answer after everything was sent: the server waited for all of it.
      if (sent === parts.length && /\r\n\r\n/.test(received)) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closedEarly: sent < parts.length });
    });
  });
}

/** A login request split into its headers and then its body byte by byte. */
export function slowLoginParts(): string[] {
  const body = JSON.stringify({ username: 'nobody', password: 'not-a-real-password', device: 'slow' });
  const head =
    `POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `${PROTOCOL_VERSION_HEADER}: ${PROTOCOL_VERSION}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return [head, ...body.split('')];
}

/** Request headers sent a few characters at a time. */
export function slowHeaderParts(): string[] {
  const head = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'x'.repeat(60) + '\r\n\r\n';
  return head.match(/.{1,4}/gs)!;
}

/** An open, idle TCP connection from `localAddress` (any 127.x address reaches a server on 127.0.0.1). */
export function openIdle(port: number, localAddress = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * GET `path` over a new connection from `localAddress`: the status, or
 * 'closed' when the server closed the connection without answering.
 */
export function getFrom(port: number, path: string, localAddress: string): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve('closed'));
  });
}

/** GET `path` from `localAddress` and return the body (for /metrics). */
export function textFrom(port: number, path: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
}
