import type { Express } from 'express';
import { pino } from 'pino';
import supertest from 'supertest';
import { createApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Mailer, OutgoingMail } from '../../src/mail/mail.service.ts';
import { FixedClock } from '../../src/time/clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export { TEST_NOW, testConfig } from './config.ts';
import { TEST_NOW, testConfig } from './config.ts';

/** A mailer that records what it sends; `failWith` makes every send fail. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failWith: string | null = null;
  constructor(readonly configured = true) {}
  async send(mail: OutgoingMail): Promise<void> {
    if (this.failWith) throw new Error(this.failWith);
    this.sent.push(mail);
  }
}

export interface TestContext {
  app: Express;
  db: Db;
  database: TestDatabase;
  clock: FixedClock;
  config: Config;
  mailer: RecordingMailer;
  close(): Promise<void>;
}

export async function createTestContext(options: { config?: Partial<Config>; mailer?: RecordingMailer } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const clock = new FixedClock(TEST_NOW);
  const config = testConfig(options.config);
  const mailer = options.mailer ?? new RecordingMailer(false);
  const app = createApp({ db: database.db, dialect: database.dialect, config, clock, logger: pino({ level: 'silent' }), mailer });
  return { app, db: database.db, database, clock, config, mailer, close: () => database.destroy() };
}

/** The CSRF token in a rendered page (every page with a form carries one). */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

export type Agent = ReturnType<typeof supertest.agent>;

/** A browser-like client: keeps cookies, and fetches a CSRF token from a page before posting. */
export async function postForm(agent: Agent, path: string, form: Record<string, string>, tokenFrom = '/login') {
  const page = await agent.get(tokenFrom);
  return agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), ...form });
}

export async function signIn(app: Express, email: string, password: string): Promise<Agent> {
  const agent = supertest.agent(app);
  const response = await postForm(agent, '/login', { email, password });
  if (response.status !== 303) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return agent;
}
