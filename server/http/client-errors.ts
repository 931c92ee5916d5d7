import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';

/**
 * Errors met before a route runs, answered in the protocol's error shape
 * (PROTO-2) instead of Node's or Fastify's own: Node's HTTP parser (431,
 * 408) and Fastify's router (414 for an over-long address part).
 */

const PARSER_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    message: 'The request headers, address included, are larger than the server accepts; shorten them.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive; send it again.' },
};

/** Fastify's `clientErrorHandler`: writes the answer on the socket, whose request never became one. */
export function clientErrorHandler(headers: Record<string, string>) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = PARSER_ERRORS[error.code ?? ''] ?? { status: 400, message: 'The request is not valid HTTP.' };
    const body = JSON.stringify(errorBody('VALIDATION', known.message));
    const lines = [
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
    ];
    if (socket.writable) socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    socket.destroy(error);
  };
}

/** Fastify's `frameworkErrors`: router errors that never reach the error handler. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply
      .status(414)
      .send(errorBody('VALIDATION', 'A part of the address is longer than 100 characters; no Curio id is that long.'));
  } else if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(errorBody('VALIDATION', 'The address is not valid: it holds a malformed %-escape.'));
  } else {
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send(errorBody('INTERNAL', 'The server hit an unexpected error; it was logged. Try again.'));
  }
}
