import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface RunningProcess {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr interleaved. */
  output(): string;
  stdout(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Runs a built entry point (dist/src/…) as its own process, as an operator would. */
export function runNode(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  /** `detached`: in a process group of its own, as a terminal runs a foreground command. */
  options: { detached?: boolean } = {},
): RunningProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  let output = '';
  let stdout = '';
  const listeners: (() => void)[] = [];
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((listener) => listener());
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    append(chunk);
  });
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    exited,
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} in output within ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        listeners.push(check);
        void exited.then(() => {
          if (!pattern.test(output)) {
            clearTimeout(timer);
            reject(new Error(`process exited before printing ${pattern}:\n${output}`));
          }
        });
        check();
      });
    },
  };
}

/** Runs a command to completion and returns its exit code and output. */
export async function runToEnd(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
) {
  const process = runNode(script, args, env);
  const code = await process.exited;
  return { code, output: process.output(), stdout: process.stdout() };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits until `${url}/health` answers 200. Given the process that should be
 * answering, fails at once with what it printed if it exits, and checks it is
 * still running when an answer comes (another process could hold the port).
 */
export async function waitForHealthy(
  url: string,
  timeoutMs = 60_000,
  process?: RunningProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exited = () =>
    process !== undefined && (process.child.exitCode !== null || process.child.signalCode !== null);
  for (;;) {
    if (exited()) throw new Error(`the process exited:\n${process!.output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) {
        // A process that failed to listen exits soon after; the answer was not its.
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (exited()) throw new Error(`the process exited:\n${process!.output()}`);
        return;
      }
    } catch (error) {
      if (exited()) throw error;
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url}/health did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
