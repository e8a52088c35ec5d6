import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const probe = fileURLToPath(new URL('./location_probe.js', import.meta.url));
const source = fileURLToPath(new URL('../../../test/edge/location_probe.ts', import.meta.url));
const lines = readFileSync(source, 'utf8').split('\n');
const lineOf = (marker: string) => lines.findIndex((l) => l.includes(marker)) + 1;

for (const flags of [[], ['--enable-source-maps']]) {
  test(`spawn locations and await chains are the user's source lines (${flags.join(' ') || 'no flags'})`, () => {
    const out = execFileSync(process.execPath, [...flags, probe], { encoding: 'utf8' });
    const { location, dump } = JSON.parse(out) as { location: string; dump: string };
    assert.equal(location, `${source}:${lineOf('SPAWN-LINE')}:4`);
    assert.match(dump, new RegExp(`at waitsForever ${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${lineOf('AWAIT-LINE')}:`));
    assert.doesNotMatch(dump, /src\/runtime\//, 'the dump lists kyoto frames');
    assert.doesNotMatch(dump, /Task\.step|Executor\.drain/);
  });
}
