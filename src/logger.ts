import { pino, type Logger } from 'pino';

/** Structured JSON logs; secrets and cookies never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'], remove: true },
  });
}
