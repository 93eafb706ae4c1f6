import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one. Uses Kysely<any> and no
// imports from src/, so it keeps working whatever the app code becomes. Portable SQL only:
// text ids made by the app, instants as UTC ISO text, flags as 0/1 integers with checks.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('networks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('networks_name_unique').on('networks').column('name').unique().execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('municipality', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('company_sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('municipality', 'text', (c) => c.notNull())
    .addColumn('is_main', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('company_sites_is_main_flag', sql`is_main in (0, 1)`)
    .execute();
  await db.schema.createIndex('company_sites_company').on('company_sites').column('company_id').execute();
  // At most one main site per company, held by the database.
  await db.schema
    .createIndex('company_sites_one_main')
    .on('company_sites')
    .column('company_id')
    .unique()
    .where(sql.ref('is_main'), '=', 1)
    .execute();

  await db.schema
    .createTable('schools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('municipality', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('school_type', 'text', (c) => c.notNull().defaultTo('municipal'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('schools_type_known', sql`school_type in ('municipal', 'independent')`)
    .execute();

  await db.schema
    .createTable('network_memberships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('organisation_kind', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addCheckConstraint('network_memberships_status_known', sql`status in ('pending', 'approved', 'rejected')`)
    .addCheckConstraint(
      'network_memberships_one_organisation',
      sql`(organisation_kind = 'company' and company_id is not null and school_id is null)
       or (organisation_kind = 'school' and school_id is not null and company_id is null)`,
    )
    .execute();
  await db.schema
    .createIndex('network_memberships_company_unique')
    .on('network_memberships')
    .columns(['network_id', 'company_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('network_memberships_school_unique')
    .on('network_memberships')
    .columns(['network_id', 'school_id'])
    .unique()
    .execute();
  await db.schema.createIndex('network_memberships_company').on('network_memberships').column('company_id').execute();
  await db.schema.createIndex('network_memberships_school').on('network_memberships').column('school_id').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('network_id', 'text', (c) => c.references('networks.id'))
    .addColumn('company_id', 'text', (c) => c.references('companies.id'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('sv'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addCheckConstraint('users_locale_known', sql`locale in ('sv', 'en')`)
    .addCheckConstraint(
      'users_role_matches_organisation',
      sql`(role = 'platform_admin' and network_id is null and company_id is null and school_id is null)
       or (role = 'network_coordinator' and network_id is not null and company_id is null and school_id is null)
       or (role = 'company_coordinator' and company_id is not null and network_id is null and school_id is null)
       or (role = 'counsellor' and school_id is not null and network_id is null and company_id is null)`,
    )
    .execute();
  await db.schema.createIndex('users_email_unique').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_network').on('users').column('network_id').execute();
  await db.schema.createIndex('users_company').on('users').column('company_id').execute();
  await db.schema.createIndex('users_school').on('users').column('school_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_email_at').on('login_failures').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_failures_ip_at').on('login_failures').columns(['ip', 'at']).execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('network_id', 'text', (c) => c.references('networks.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id').onDelete('cascade'))
    .addColumn('invited_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('revoked_at', 'text')
    .addCheckConstraint(
      'invitations_role_matches_organisation',
      sql`(role = 'platform_admin' and network_id is null and company_id is null and school_id is null)
       or (role = 'network_coordinator' and network_id is not null and company_id is null and school_id is null)
       or (role = 'company_coordinator' and company_id is not null and network_id is null and school_id is null)
       or (role = 'counsellor' and school_id is not null and network_id is null and company_id is null)`,
    )
    .execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_hint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addCheckConstraint('outbox_status_known', sql`status in ('pending', 'sending', 'sent', 'failed', 'held')`)
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox',
    'api_tokens',
    'password_resets',
    'invitations',
    'login_failures',
    'sessions',
    'users',
    'network_memberships',
    'schools',
    'company_sites',
    'companies',
    'networks',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
