// `npm run test:electron`: the same integration suites under @vscode/test-electron, for machines
// that can download VS Code (it cannot run on our offline build machines: there `npm test` runs
// them inside the VS Code server that code-server ships). VSCODE_EXECUTABLE skips the download.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
  await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/test/integration/index'),
    launchArgs: [path.join(root, 'test/fixtures/workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
