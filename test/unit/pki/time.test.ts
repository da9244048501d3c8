// der.time() reads the common forms (UTCTime YYMMDDHHMMSSZ, GeneralizedTime from 2050) without a
// regular expression or a Date; anyTime() reads every form. They must agree wherever the fast path
// answers: held here over every month boundary of the years that matter and random digit strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyTime, time, type Tlv } from '../../../src/pki/der';

function tlv(tag: number, s: string): { buf: Uint8Array; t: Tlv } {
  const body = new TextEncoder().encode(s);
  const buf = new Uint8Array([tag, body.length, ...body]);
  return { buf, t: { tag, start: 0, body: 2, end: buf.length } };
}

function same(tag: number, s: string): void {
  const { buf, t } = tlv(tag, s);
  assert.deepEqual(time(buf, t), anyTime(buf, t), `${tag === 0x17 ? 'UTCTime' : 'GeneralizedTime'} ${s}`);
}

const two = (n: number) => String(n).padStart(2, '0');

test('time: the fast path agrees with the general reader on every day edge (0–32) of every month, leap years and centuries', () => {
  for (const year of [1950, 1999, 2000, 2024, 2025, 2049]) {
    for (let month = 0; month <= 13; month++) {
      for (const day of [0, 1, 28, 29, 30, 31, 32]) {
        same(0x17, `${two(year % 100)}${two(month)}${two(day)}235959Z`);
      }
    }
  }
  for (const year of [2049, 2050, 2100, 2400, 9999]) {
    for (let month = 0; month <= 13; month++) {
      for (const day of [0, 1, 28, 29, 30, 31, 32]) {
        same(0x18, `${year}${two(month)}${two(day)}000000Z`);
      }
    }
  }
});

test('time: the fast path agrees with the general reader on 20,000 random strings of the fast forms\' lengths', () => {
  let s = 7;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const chars = '0123456789012345678901234567890123456789Z+-.: a';
  for (let i = 0; i < 20_000; i++) {
    const utc = rand() < 0.5;
    const n = utc ? 13 : 15;
    let v = '';
    for (let k = 0; k < n - 1; k++) {
      v += chars[Math.floor(rand() * chars.length)];
    }
    v += rand() < 0.9 ? 'Z' : chars[Math.floor(rand() * chars.length)];
    same(utc ? 0x17 : 0x18, v);
  }
});

test('time: hours, minutes and seconds out of range fall to the general reader, which says so', () => {
  for (const v of ['250101240000Z', '250101006000Z', '250101000060Z', '2501010000Z', '250101000000+0900']) {
    same(0x17, v);
    const { buf, t } = tlv(0x17, v);
    assert.ok(!('iso' in time(buf, t)) || v.length !== 13, v);
  }
});
