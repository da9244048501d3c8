// Emulator-only durations, shared by `--clock-offset`/`--gateway-skew` and "Set Local Emulator Clock…".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../../src/emulator/duration';

const DAY = 86_400_000;

test('parseDuration: signed amounts with a unit, or 0; anything else is undefined', () => {
  const cases: [string, number | undefined][] = [
    ['-400d', -400 * DAY],
    ['+2h', 2 * 3_600_000],
    ['10m', 600_000],
    [' 30s ', 30_000],
    ['500ms', 500],
    ['0', 0],
    ['-0', 0],
    ['400', undefined],
    ['ten days', undefined],
    ['-4.5d', undefined],
    ['', undefined],
  ];
  for (const [input, want] of cases) {
    assert.equal(parseDuration(input), want, input);
  }
});

test('formatDuration: the largest unit that divides, and back again', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-400 * DAY, '-400d'],
    [36 * 3_600_000, '+36h'],
    [90_000, '+90s'],
    [1500, '+1500ms'],
  ];
  for (const [ms, want] of cases) {
    assert.equal(formatDuration(ms), want);
    assert.equal(parseDuration(want), ms);
  }
});
