/**
 * The text form of a doctor report: findings grouped by severity, each with its sockets, processes, meaning and next
 * step; then who can reach the listeners, and the notes. Every text that came from the system is escaped.
 * @module
 */
import {
  type Finding,
  type FindingProcess,
  type FindingSocket,
  formatDuration,
  formatEndpoint,
  type Listener,
  SEVERITIES,
  type Severity,
} from '../analysis/index.js';
import { escapeTerminal } from '../netstat.js';
import type { DoctorReport } from './doctor-report.js';
import { noteText } from './note-text.js';

/** Most sockets listed per finding (`--json` has them all). */
export const MAX_SOCKETS_SHOWN = 8;
/** Most processes listed per finding. */
const MAX_PROCESSES_SHOWN = 5;
/** Most listeners listed as reachable from outside. */
const MAX_LISTENERS_SHOWN = 20;
/** Longest command line printed, in characters. */
const MAX_CMDLINE = 120;

const HEADINGS: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };
const COLORS: Record<Severity, string> = { critical: '\x1b[1;31m', warning: '\x1b[1;33m', info: '\x1b[1;36m' };
const RESET = '\x1b[0m';

const esc = escapeTerminal;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function socketLine(s: FindingSocket): string {
  const unconnected = s.remote.port === 0 && (s.remote.address === '0.0.0.0' || s.remote.address === '::');
  const where = unconnected ? formatEndpoint(s.local) : `${formatEndpoint(s.local)} -> ${formatEndpoint(s.remote)}`;
  const parts = [`${s.kind.padEnd(5)} ${s.state.padEnd(11)} ${where}`, `recv-q ${s.rxQueue}`, `send-q ${s.txQueue}`];
  if (s.trace !== undefined) {
    const t = s.trace;
    const values = t.first === t.last ? `${t.last}` : `${t.first} -> ${t.last}`;
    parts.push(
      `${t.queue} queue ${values} ${t.unit}, ${t.trend}, ${formatDuration(t.durationMs)} over ${t.samples} samples`,
    );
  }
  if (s.inode !== '0') parts.push(`inode ${s.inode}`);
  if (s.pids !== null) parts.push(s.pids.length === 0 ? 'no process' : `pid ${s.pids.join(',')}`);
  return parts.join('  ');
}

function cmdlineText(cmdline: readonly string[] | null): string {
  if (cmdline === null || cmdline.length === 0) return '';
  const text = esc(cmdline.join(' '));
  return text.length > MAX_CMDLINE ? `${text.slice(0, MAX_CMDLINE - 3)}...` : text;
}

function processLine(p: FindingProcess): string {
  const name = p.comm === null ? '?' : esc(p.comm);
  const uid = p.uid === null ? '' : ` (uid ${p.uid})`;
  const cmd = cmdlineText(p.cmdline);
  return `pid ${p.pid} ${name}${uid}, ${plural(p.sockets, 'socket')}${cmd === '' ? '' : `: ${cmd}`}`;
}

function findingLines(f: Finding, paint: (s: Severity, text: string) => string): string[] {
  const lines = [`  ${paint(f.severity, `[${f.severity}]`)} ${f.title} (${f.id})`, `    ${esc(f.summary)}`];
  lines.push(`    What it means: ${f.explanation}`);
  lines.push(`    Check next: ${f.nextStep}`);
  if (f.sockets.length > 0) {
    lines.push(`    Sockets (${f.sockets.length}):`);
    for (const s of f.sockets.slice(0, MAX_SOCKETS_SHOWN)) lines.push(`      ${socketLine(s)}`);
    if (f.sockets.length > MAX_SOCKETS_SHOWN) {
      lines.push(`      ... and ${f.sockets.length - MAX_SOCKETS_SHOWN} more (--json lists them all)`);
    }
  }
  if (f.processes.length > 0) {
    lines.push(`    Processes (${f.processes.length}):`);
    for (const p of f.processes.slice(0, MAX_PROCESSES_SHOWN)) lines.push(`      ${processLine(p)}`);
    if (f.processes.length > MAX_PROCESSES_SHOWN) {
      lines.push(`      ... and ${f.processes.length - MAX_PROCESSES_SHOWN} more`);
    }
  }
  return lines;
}

/** The listener's processes; when none was found, whether none holds it or the holder could not be read. */
function owners(l: Listener, denied: number): string {
  if (l.processes.length === 0) {
    if (!l.ownersKnown) return '';
    return denied > 0 ? '  (owner not readable, or no process)' : '  (no process)';
  }
  return `  ${l.processes.map((p) => `pid ${p.pid} ${p.comm === null ? '?' : esc(p.comm)}`).join(', ')}`;
}

function listenerLines(listeners: readonly Listener[], denied: number): string[] {
  const outside = listeners.filter((l) => l.exposure.fromOutside && !l.ephemeral);
  const ephemeral = listeners.filter((l) => l.exposure.fromOutside && l.ephemeral);
  const local = listeners.filter((l) => !l.exposure.fromOutside);
  const lines: string[] = [];
  if (outside.length === 0) {
    lines.push('Listeners reachable from outside: none.');
  } else {
    lines.push(`Listeners reachable from outside (${outside.length}):`);
    for (const l of outside.slice(0, MAX_LISTENERS_SHOWN)) {
      const where = `${l.protocol.padEnd(7)} ${formatEndpoint(l.local).padEnd(24)}`;
      lines.push(`  ${where} from ${l.exposure.reachableFrom} (${l.exposure.scope})${owners(l, denied)}`);
    }
    if (outside.length > MAX_LISTENERS_SHOWN) lines.push(`  ... and ${outside.length - MAX_LISTENERS_SHOWN} more`);
  }
  if (ephemeral.length > 0) {
    lines.push(
      `  (not listed: ${plural(ephemeral.length, 'UDP socket')} on ephemeral ports, probably clients such as resolvers)`,
    );
  }
  if (local.length > 0) {
    const shown = local.slice(0, MAX_LISTENERS_SHOWN).map((l) => `${l.protocol} ${formatEndpoint(l.local)}`);
    if (local.length > MAX_LISTENERS_SHOWN) shown.push(`... and ${local.length - MAX_LISTENERS_SHOWN} more`);
    lines.push(`Listeners on this host only (${local.length}):`);
    let line = '';
    for (const item of shown) {
      if (line !== '' && line.length + item.length > 100) {
        lines.push(`${line},`);
        line = '';
      }
      line += line === '' ? `  ${item}` : `, ${item}`;
    }
    lines.push(line);
  }
  return lines;
}

function sourceLine(r: DoctorReport): string {
  const what = r.samples === 1 ? '1 sample' : `${r.samples} samples over ${formatDuration(r.durationMs)}`;
  const where = r.source.live ? esc(r.source.netDir) : `the dump ${esc(r.source.netDir)}`;
  const ns = r.source.namespace === null ? '' : ` (network namespace ${r.source.namespace})`;
  return `procnet doctor: ${what} of ${where}${ns}, ${plural(r.sockets, 'socket')}`;
}

/** The report as text for a person; `color` adds ANSI colour to the severities. Ends with a newline. */
export function formatDoctorText(report: DoctorReport, options: { color?: boolean } = {}): string {
  const paint = (s: Severity, text: string) => (options.color === true ? `${COLORS[s]}${text}${RESET}` : text);
  const lines = [sourceLine(report), ''];
  if (report.findings.length === 0) {
    lines.push('No findings: nothing looks wrong.', '');
  }
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(paint(severity, `${HEADINGS[severity]} (${group.length})`), '');
    for (const f of group) lines.push(...findingLines(f, paint), '');
  }
  lines.push(...listenerLines(report.listeners, report.processes?.denied ?? 0), '');
  if (report.notes.length > 0 || report.skipped > 0) {
    lines.push('Notes:');
    const facts = { netDir: report.source.netDir, processes: report.processes, command: 'procnet doctor' };
    for (const n of report.notes) lines.push(`  - ${esc(noteText(n, facts))}`);
    if (report.skipped > 0) lines.push(`  - ${plural(report.skipped, 'row')} could not be parsed and were skipped`);
    lines.push('');
  }
  const c = report.counts;
  const verdict =
    report.exitCode === 0 ? 'healthy (exit 0)' : `${plural(c.critical + c.warning, 'problem')} to look at (exit 1)`;
  lines.push(`Result: ${c.critical} critical, ${c.warning} warning, ${c.info} info: ${verdict}.`);
  return `${lines.join('\n')}\n`;
}
