// The extensionTestsPath entry: VS Code's extension host calls run() after loading the extension
// under development. It runs every mocha suite in out/test/integration/**.test.js and writes a
// result file next to itself that test/run.mjs reads (the page console is only a fallback).
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? findTests(p) : e.name.endsWith('.test.js') ? [p] : [];
  });
}

/** Runs the integration suites; rejects when any test fails (the host then exits with 1). */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  const grep = process.env.NCLOUD_PKI_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  for (const f of findTests(__dirname)) {
    mocha.addFile(f);
  }
  const resultFile = path.join(__dirname, '..', 'integration-results.json');
  const failures: { title: string; error: string }[] = [];
  let passes = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => {
      passes++;
    });
    runner.on('fail', (test, err: Error) => {
      failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
  const result = { passes, failures, vscodeVersion: vscode.version };
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
  console.log(`[integration] ${passes} passing, ${failures.length} failing in VS Code ${vscode.version}`);
  if (failures.length > 0) {
    throw new Error(`${failures.length} integration test(s) failed`);
  }
}
