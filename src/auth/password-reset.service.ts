import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { queueMail, type Mailer } from '../mail/mail.service.ts';
import { fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { findUserByEmail, setPassword } from '../users/users.service.ts';
import { endAllSessionsOfUser } from './auth.service.ts';
import { revokeAllApiTokensOfUser } from '../api/tokens.service.ts';
import { hashToken, newId, randomToken } from './secrets.ts';

const LINK_MINUTES = 60;
const MAX_LINKS_PER_HOUR = 3;

/**
 * Mails a reset link when the address has an account. The caller shows the same answer either
 * way, so the form does not reveal who has an account.
 */
export async function requestPasswordReset(db: Db, mailer: Mailer, config: Config, email: string, now: DateTime): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled_at !== null) return;
  const recent = await db
    .selectFrom('password_resets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', user.id)
    .where('created_at', '>', toDbInstant(now.minus({ hours: 1 })))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= MAX_LINKS_PER_HOUR) return;
  const token = randomToken();
  await db
    .insertInto('password_resets')
    .values({
      id: newId(),
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: toDbInstant(now),
      expires_at: toDbInstant(now.plus({ minutes: LINK_MINUTES })),
      used_at: null,
    })
    .execute();
  const t = translator(user.locale as Locale);
  await queueMail(
    db,
    mailer,
    {
      to: user.email,
      subject: t('auth.reset_mail_subject'),
      text: t('auth.reset_mail_body', { name: user.name, link: `${config.baseUrl}/password/reset/${token}`, minutes: LINK_MINUTES }),
    },
    now,
  );
}

async function findUsableReset(db: Db, token: string, now: DateTime) {
  const row = await db.selectFrom('password_resets').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.used_at !== null || fromDbInstant(row.expires_at) <= now) throw new AppError('link_invalid');
  return row;
}

export async function assertResetLinkUsable(db: Db, token: string, now: DateTime): Promise<void> {
  await findUsableReset(db, token, now);
}

/** Sets the new password, uses up the link (once only) and signs the user out everywhere. */
export async function resetPassword(db: Db, config: Config, token: string, password: string, now: DateTime): Promise<void> {
  const row = await findUsableReset(db, token, now);
  const used = await db
    .updateTable('password_resets')
    .set({ used_at: toDbInstant(now) })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw new AppError('link_invalid');
  await setPassword(db, row.user_id, password, config.passwordHashing);
  await endAllSessionsOfUser(db, row.user_id);
  // A reset is how people recover a taken-over account: keys made before it stop working too.
  await revokeAllApiTokensOfUser(db, row.user_id, now);
}
