import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Module } from '../shared/module.ts';

/** Runs one Fastify app as a module: listen on start, close (all connections) on stop. */
export class HttpServer implements Module {
  readonly name: string;
  readonly app: FastifyInstance;
  readonly #host: string;
  readonly #port: number;

  constructor(name: string, app: FastifyInstance, host: string, port: number) {
    this.name = name;
    this.app = app;
    this.#host = host;
    this.#port = port;
  }

  async start(): Promise<void> {
    await this.app.listen({ host: this.#host, port: this.#port });
  }

  async stop(): Promise<void> {
    await this.app.close();
  }

  /** The bound port, useful when configured as 0. */
  get port(): number {
    return (this.app.server.address() as AddressInfo).port;
  }

  get url(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${this.port}`;
  }
}
