// `npm run e2e:fake`: start the fake API (serving dist/), run e2e.mjs against it, stop it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeApi } from './fake-api.mjs';

const fake = await startFakeApi();
console.log(`fake API + UI on ${fake.url}`);
const child = spawn(process.execPath, [fileURLToPath(new URL('./e2e.mjs', import.meta.url))], {
  stdio: 'inherit',
  env: { ...process.env, E2E_BASE_URL: fake.url },
});
const code = await new Promise((done) => child.on('exit', (c, signal) => done(c ?? (signal ? 1 : 0))));
// The UI must not post an empty history before each search (the original's wasted write).
const emptyWrites = fake.requests.filter((r) => r.startsWith('POST /user/history')).length;
console.log(`fake API saw ${fake.requests.length} API requests (${emptyWrites} history writes)`);
await fake.close();
process.exit(code);
