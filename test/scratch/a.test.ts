import { afterAll, it } from 'vitest';
import { runDoctor } from '../../src/cli/doctor.js';
import { captureIo, startScenario, stopScenarios } from '../doctor/scenario.js';
afterAll(stopScenarios);
it('x', async () => {
  const s = await startScenario('overflow');
  const c = captureIo();
  const code = await runDoctor(['--pid', String(s.pid)], c.io);
  console.log(code, c.stdout(), c.stderr());
  const d = captureIo();
  await runDoctor(['--pid', String(s.pid), '--json', '--samples', '2'], d.io);
  console.log(d.stdout());
}, 120000);
