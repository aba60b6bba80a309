import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Response } from 'express';

/**
 * Writes a long answer in pieces with bounded memory: waits for the socket to drain when its
 * buffer is full, and gives the event loop a turn between pieces so other requests (`/healthz`,
 * live sessions) are served while an export runs. Throws once the client has gone, so the
 * producer stops reading the database.
 */
export class ResponseStream {
  constructor(private readonly res: Response) {}

  async write(text: string): Promise<void> {
    if (this.res.destroyed) throw new Error('the client closed the download');
    if (!this.res.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
    await nextTurn();
  }

  end(): void {
    this.res.end();
  }

  /**
   * Runs `produce` after the headers are sent; a failure midway cuts the connection (a status can
   * no longer be sent), so the client sees an incomplete download, never a complete-looking one.
   */
  static async send(res: Response, produce: (out: ResponseStream) => Promise<void>): Promise<void> {
    const out = new ResponseStream(res);
    try {
      await produce(out);
      out.end();
    } catch (error) {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
