// build.mjs - bundles the pages into dist/: src/main.js (with Chart.js) and src/style.css
// become dist/assets/app-HASH.js and app-HASH.css (the server caches /assets/ for a year, so
// each name carries its content hash), and dist/index.html points at them. Run by web/build.sh
// (from the CMake target `web`); `node build.mjs --watch` rebuilds on every change.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'dist');
const watch = process.argv.includes('--watch');

const options = {
  entryPoints: { app: join(here, 'src/main.js'), style: join(here, 'src/style.css') },
  bundle: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  entryNames: '[name]-[hash]',
  outdir: join(out, 'assets'),
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
};

function writeIndex(meta, dir) {
  const outputs = Object.keys(meta.outputs).map((p) => basename(p));
  const js = outputs.find((n) => n.startsWith('app-') && n.endsWith('.js'));
  const css = outputs.find((n) => n.startsWith('style-') && n.endsWith('.css'));
  const html = readFileSync(join(here, 'src/index.html'), 'utf8')
    .replace('%CSS%', `/assets/${css}`)
    .replace('%JS%', `/assets/${js}`);
  writeFileSync(join(dir, 'index.html'), html);
}

if (watch) {
  mkdirSync(out, { recursive: true });
  const ctx = await esbuild.context({ ...options, plugins: [{
    name: 'index', setup(b) { b.onEnd((r) => { if (r.metafile) writeIndex(r.metafile, out); }); },
  }] });
  await ctx.watch();
  console.log(`watching; writing ${out}`);
} else {
  // build beside, then swap in whole: a running server never sees half a bundle
  const tmp = `${out}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({ ...options, outdir: join(tmp, 'assets') });
  writeIndex(result.metafile, tmp);
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  console.log(`web: built ${out}`);
}
