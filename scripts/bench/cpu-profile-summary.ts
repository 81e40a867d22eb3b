// Summarises a .cpuprofile: where the main thread's busy time went, by package (self time, and
// time with the package anywhere on the stack) and by function (self time).
//   npx ts-node --transpile-only scripts/bench/cpu-profile-summary.ts bench-results/charges.cpuprofile [requests]
// With the number of answered requests, each line also shows µs of main-thread time per request.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

const [file, requestsArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const requests = Number(requestsArg ?? 0);
const usPerSample = (profile.endTime - profile.startTime) / profile.samples.length;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** node_modules/<package>, node:<module>, the app's own code, or V8's pseudo-frames. */
function packageOf({ functionName, url }: ProfileNode['callFrame']): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).replace(/^internal\//, '').split('/')[0]}`;
  if (url.includes('/dist/')) return 'app';
  if (functionName.startsWith('(')) return functionName;
  return '(native)';
}

const frameName = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`;

const selfByPackage = new Map<string, number>();
const stackByPackage = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
let busy = 0;
for (const id of profile.samples) {
  const leaf = nodes.get(id)!;
  if (leaf.callFrame.functionName === '(idle)') continue;
  busy++;
  add(selfByPackage, packageOf(leaf.callFrame));
  add(selfByFunction, frameName(leaf.callFrame));
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(packageOf(nodes.get(at)!.callFrame));
  for (const name of onStack) add(stackByPackage, name);
}

function print(title: string, map: Map<string, number>, top: number): void {
  console.log(`\n${title}`);
  for (const [name, samples] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const share = `${((samples / busy) * 100).toFixed(1)}%`.padStart(6);
    const perRequest = requests > 0 ? `${Math.round((samples * usPerSample) / requests)} µs/req`.padStart(12) : '';
    console.log(`${share}${perRequest}  ${name}`);
  }
}

const busyMs = (busy * usPerSample) / 1_000;
console.log(`${file}: ${Math.round(busyMs)} ms busy of ${Math.round((profile.endTime - profile.startTime) / 1_000)} ms (main thread; idle excluded)`);
print('Self time by package', selfByPackage, 15);
print('Time with the package on the stack', stackByPackage, 15);
print('Self time by function', selfByFunction, 25);
