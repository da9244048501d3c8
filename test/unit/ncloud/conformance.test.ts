// The emulator's answer to every operation is checked against the client's declarations
// (src/ncloud/contract.ts): the table of calls (helpers.ts, everyOperation) is typed by OperationName,
// so an operation added to the contract without a call there does not compile. Each call goes through the client, which
// validates what arrives; the raw shapes of the variant fields are checked in departures.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS, type OperationName } from '../../../src/ncloud';
import { everyOperation, harness, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = await harness({ cmIssueDelayMs: 0 });
});
after(async () => {
  await h?.close();
});

test('every operation: the emulator answers what the contract declares', async () => {
  const calls = await everyOperation(h.client);
  assert.deepEqual(Object.keys(calls).sort(), Object.keys(OPERATIONS).sort());
  for (const [name, call] of Object.entries(calls)) {
    await assert.doesNotReject(call(), `${name} (${OPERATIONS[name as OperationName].name})`);
  }
});
