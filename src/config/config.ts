// Configuration: config/default.json, then config/local.json (git-ignored, for secrets), then the
// environment, which wins. Validated once at start; the rest of the app gets a typed object.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { normalizeSupportNumber } from './support-numbers';
import { ConfigError } from './config-error';

export { ConfigError };

const PbxSchema = Type.Object({
  id: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  username: Type.String(),
  secret: Type.Optional(Type.String()),
  /** Support numbers of this PBX; defaults to the global list. */
  supportNumbers: Type.Optional(Type.Array(Type.String())),
  /** DID per trunk peer name, for carriers that deliver calls to `s`. */
  trunkDids: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Peer names that are trunks; when absent, any peer that is not an extension is a trunk. */
  trunks: Type.Optional(Type.Array(Type.String())),
});

const Positive = Type.Number({ exclusiveMinimum: 0 });
/** The supervisors' thresholds (config file only); each defaults to the product's design. */
const SupervisionSchema = Type.Object(
  {
    shortAbandonSeconds: Type.Optional(Positive),
    serviceLevelSeconds: Type.Optional(Positive),
    review: Type.Optional(
      Type.Object(
        {
          draftAfterCallMinutes: Type.Optional(Positive),
          thinDescriptionChars: Type.Optional(Type.Integer({ minimum: 1 })),
          criticalStartBusinessMinutes: Type.Optional(Positive),
          unassignedBusinessMinutes: Type.Optional(Positive),
          customerUnansweredBusinessMinutes: Type.Optional(Positive),
          reopenedTimes: Type.Optional(Type.Integer({ minimum: 1 })),
          callGapDays: Type.Optional(Positive),
        },
        { additionalProperties: false },
      ),
    ),
    surge: Type.Optional(
      Type.Object(
        {
          windowMinutes: Type.Optional(Positive),
          minCalls: Type.Optional(Type.Integer({ minimum: 1 })),
          minNumbers: Type.Optional(Type.Integer({ minimum: 1 })),
          factor: Type.Optional(Positive),
          historyWeeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.Optional(Type.String()),
  databaseUrl: Type.Optional(Type.String()),
  dataDir: Type.String(),
  supportNumbers: Type.Array(Type.String(), { minItems: 1 }),
  tzSupport: Type.String(),
  businessHours: Type.Object({
    open: Type.String({ pattern: '^\\d\\d:\\d\\d$' }),
    close: Type.String({ pattern: '^\\d\\d:\\d\\d$' }),
  }),
  sessionHours: Type.Number({ minimum: 12 }),
  adminLogin: Type.Optional(Type.String()),
  adminPassword: Type.Optional(Type.String()),
  metricsToken: Type.Optional(Type.String()),
  /**
   * Which proxies' X-Forwarded-For to believe (the client address counts failed logins): false
   * (default: none; the client's own address), true (any: only when nothing else can reach the
   * port), or the load balancer's addresses / CIDRs, comma-separated. Env TRUST_PROXY.
   */
  trustProxy: Type.Optional(Type.Union([Type.Boolean(), Type.String({ minLength: 1 })])),
  logLevel: Type.Optional(Type.String()),
  /**
   * Where the PBX's spool directory is mounted (read-only), to play calls' recordings and
   * voicemail from; unset: they are listed but not playable. Env RECORDINGS_DIR.
   */
  recordingsDir: Type.Optional(Type.String({ minLength: 1 })),
  pbx: Type.Array(PbxSchema),
  /** Outgoing mail: `smtp://user:pass@host:587` or `smtps://…`; unset: calldesk sends no mail. Env MAIL_SMTP_URL. */
  mailSmtpUrl: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  /** The sender of calldesk's mails, `Поддержка <support@example.ru>`. Env MAIL_FROM. */
  mailFrom: Type.Optional(Type.String({ minLength: 3 })),
  /** The service's address as customers reach it: the base of links in mails. Env PUBLIC_URL. */
  publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  /**
   * The support mailbox, `imap://user:pass@host:143/INBOX` or `imaps://…`; unset: no e-mail channel.
   * Env MAIL_IMAP_URL.
   */
  mailImapUrl: Type.Optional(Type.String({ pattern: '^imaps?://' })),
  /** Attachments of incoming mail larger than this keep no bytes of their own (default 10 MiB). Env MAIL_ATTACHMENT_MAX_BYTES. */
  mailAttachmentMaxBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Incoming mail larger than this is not fetched: its headers wait in quarantine (default 25 MiB). Env MAIL_MAX_BYTES. */
  mailMaxBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  supervision: Type.Optional(SupervisionSchema),
});

export type Config = Static<typeof ConfigSchema>;
export type PbxConfig = Static<typeof PbxSchema>;

function readJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
}

/** Loads and validates the configuration. `env` and `dir` are parameters so tests can pass their own. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dir = path.resolve('config')): Config {
  const merged: Record<string, any> = { ...readJson(path.join(dir, 'default.json')), ...readJson(path.join(dir, 'local.json')) };
  Object.assign(
    merged,
    definedOnly({
      port: env.PORT !== undefined ? Number(env.PORT) : undefined,
      host: env.HOST,
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      supportNumbers: env.SUPPORT_NUMBERS?.split(',').map((s) => s.trim()).filter(Boolean),
      tzSupport: env.TZ_SUPPORT,
      adminLogin: env.ADMIN_LOGIN,
      adminPassword: env.ADMIN_PASSWORD,
      metricsToken: env.METRICS_TOKEN,
      trustProxy: env.TRUST_PROXY === undefined ? undefined : env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY === 'false' ? false : env.TRUST_PROXY,
      logLevel: env.LOG_LEVEL,
      recordingsDir: env.RECORDINGS_DIR,
      mailSmtpUrl: env.MAIL_SMTP_URL,
      mailFrom: env.MAIL_FROM,
      publicUrl: env.PUBLIC_URL,
      mailImapUrl: env.MAIL_IMAP_URL,
      mailAttachmentMaxBytes: env.MAIL_ATTACHMENT_MAX_BYTES !== undefined ? Number(env.MAIL_ATTACHMENT_MAX_BYTES) : undefined,
      mailMaxBytes: env.MAIL_MAX_BYTES !== undefined ? Number(env.MAIL_MAX_BYTES) : undefined,
    }),
  );
  // AMI_* describe the first PBX (the one most installations have).
  const pbx = Array.isArray(merged.pbx) && merged.pbx.length > 0 ? [...merged.pbx] : [{ id: 'main', host: '127.0.0.1', port: 5038, username: '' }];
  pbx[0] = {
    ...pbx[0],
    ...definedOnly({
      host: env.AMI_HOST,
      port: env.AMI_PORT !== undefined ? Number(env.AMI_PORT) : undefined,
      username: env.AMI_USER,
      secret: env.AMI_SECRET,
    }),
  };
  merged.pbx = pbx;

  if (!Value.Check(ConfigSchema, merged)) {
    const first = [...Value.Errors(ConfigSchema, merged)][0];
    throw new ConfigError(`invalid configuration at ${first?.path || '/'}: ${first?.message}`);
  }
  const config = merged as Config;
  config.supportNumbers = config.supportNumbers.map(normalizeSupportNumber);
  for (const p of config.pbx) {
    if (p.supportNumbers) p.supportNumbers = p.supportNumbers.map(normalizeSupportNumber);
    if (p.trunkDids) {
      p.trunkDids = Object.fromEntries(Object.entries(p.trunkDids).map(([k, v]) => [k, normalizeSupportNumber(v)]));
    }
  }
  if (config.mailSmtpUrl && !config.mailFrom) throw new ConfigError('invalid configuration at /mailFrom: MAIL_SMTP_URL needs MAIL_FROM (the sender of the mails)');
  if (config.mailSmtpUrl && !config.publicUrl) throw new ConfigError('invalid configuration at /publicUrl: MAIL_SMTP_URL needs PUBLIC_URL (the base of links in mails)');
  const ids = new Set(config.pbx.map((p) => p.id));
  if (ids.size !== config.pbx.length) throw new ConfigError('invalid configuration at /pbx: PBX ids must be unique');
  return config;
}
