/**
 * procnet/analysis: what the numbers mean. Exposure of listening sockets, queue health across samples, TCP state
 * anomalies and the kernel's counters, as findings from one catalogue. Pure: no `node:` imports; the node layer takes
 * the samples and attaches socket owners.
 * @module
 */
export { analyzeCounters } from './analyze-counters.js';
export { analyzeQueues } from './analyze-queues.js';
export { analyzeStates } from './analyze-states.js';
export {
  type AddressClass,
  type AddressScope,
  type ClassifyAddressOptions,
  classifyAddress,
  type Reachability,
} from './classify-address.js';
export { diagnose } from './diagnose.js';
export { compareFindings, FINDINGS, type FindingId, type FindingInfo, SEVERITIES } from './findings.js';
export { type AnalysisOptions, DEFAULT_ANALYSIS_OPTIONS, type ResolvedAnalysisOptions } from './options.js';
export { formatDuration } from './queue-trace.js';
export { formatEndpoint } from './socket-ref.js';
export { type Listener, type ListenerSummary, summarizeListeners } from './summarize-listeners.js';
export type {
  AnalysisSocket,
  CounterSample,
  Finding,
  FindingEvidence,
  FindingProcess,
  FindingSocket,
  QueueTrace,
  QueueTrend,
  Sample,
  Severity,
  SocketOwnerInfo,
} from './types.js';
