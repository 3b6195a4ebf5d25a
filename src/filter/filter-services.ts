/**
 * Service names for ports (`dport = :https`): a small fixed table, so the core reads no `/etc/services`.
 * @module
 */

/**
 * Well-known services, with the names and aliases Debian's `/etc/services` gives them (ss looks them up there with
 * `getservbyname`). Only services whose TCP and UDP ports agree. Pass `services` to `parseSocketFilter` for others.
 */
export const SERVICE_PORTS: Readonly<Record<string, number>> = /* @__PURE__ */ Object.freeze({
  'ftp-data': 20,
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  mail: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  http: 80,
  www: 80,
  kerberos: 88,
  pop3: 110,
  sunrpc: 111,
  portmapper: 111,
  ntp: 123,
  imap2: 143,
  imap: 143,
  snmp: 161,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  syslog: 514,
  submission: 587,
  ldaps: 636,
  'domain-s': 853,
  rsync: 873,
  imaps: 993,
  pop3s: 995,
  openvpn: 1194,
  'ms-sql-s': 1433,
  nfs: 2049,
  mysql: 3306,
  sip: 5060,
  'xmpp-client': 5222,
  postgresql: 5432,
  postgres: 5432,
  amqp: 5672,
  x11: 6000,
  redis: 6379,
  'http-alt': 8080,
  webcache: 8080,
  git: 9418,
});
