// NCP errors as the extension tells them: `ncloud` keeps the kind and code, the words here are
// translated (l10n). `NcpError` is imported from its own small module, not the whole client.
import * as vscode from 'vscode';
import { NcpError } from '../ncloud/errors';

const t = vscode.l10n.t;

/** The NcpError in `err`, from whichever bundle threw it. */
export function asNcpError(err: unknown): NcpError | undefined {
  return err instanceof NcpError ? err : undefined;
}

export function isCancel(err: unknown): boolean {
  return (err instanceof Error && (err.name === 'AbortError' || asNcpError(err)?.kind === 'cancelled')) || err instanceof vscode.CancellationError;
}

function minutes(ms: number): string {
  return String(Math.round(Math.abs(ms) / 60_000));
}

function codeHint(code: string | undefined): string | undefined {
  switch (code) {
    case 'ALREADY_EXIST_ALIAS':
      return t('Choose another alias: CA aliases are unique in the account.');
    case 'EXCEED_EXPIRY_DATE':
      return t('Choose a shorter validity (or MAX): a certificate can never outlive its issuer.');
    case 'INVALID_CA_STATUS':
      return t('Activate the CA first (only an ACTIVE CA can sign; only a CA in DESTROYING can be deleted).');
    case 'INVALID_STATUS':
      return t("This status change is not allowed from the CA's current status.");
    case 'INVALID_ISSUER_CA':
      return t('Activate the issuing CA first.');
    case 'NOT_EXIST_ISSUER_CA':
      return t('The issuing CA no longer exists: refresh the view and pick another.');
    case 'INVALID_X509_IP':
      return t('IP SANs must be IPv4 or IPv6 addresses, comma separated.');
    case 'INVALID_INPUT_PERIOD':
      return t('The validity must be 1-3650 days, or MAX.');
    case 'EXCEED_CA_ALIAS':
      return t('Use an alias of 3-15 letters, digits, - or _, starting with a letter.');
    case 'EXCEED_COMMON_NAME':
      return t('Use a common name of at most 64 characters.');
    default:
      return undefined;
  }
}

/** What to do next about `e`, in the user's language. */
export function hint(e: NcpError): string {
  const byCode = codeHint(e.code);
  if (byCode) {
    return byCode;
  }
  switch (e.kind) {
    case 'auth':
      if (e.skewMs !== undefined) {
        return e.skewMs > 0
          ? t("Your computer's clock is {0} minutes ahead of NCP's; NCP refuses requests more than 5 minutes off. Sync the clock and retry.", minutes(e.skewMs))
          : t("Your computer's clock is {0} minutes behind NCP's; NCP refuses requests more than 5 minutes off. Sync the clock and retry.", minutes(e.skewMs));
      }
      return t('Check the access key and secret key of this profile (NCP console → My Page → Account Management → Authentication Key Management).');
    case 'permission':
      return t('This key is not allowed to do that: grant the sub-account a Private CA / Certificate Manager role, or use another key.');
    case 'notFound':
      return t('It may have been deleted or never existed: refresh the view.');
    case 'validation':
      return t('Correct the input and try again.');
    case 'state':
      return t('Refresh the view to see the current state, then try again.');
    case 'quota':
      return t('NCP is limiting requests from this account: wait a minute, then retry.');
    case 'server':
      return t("NCP had an internal error: retry in a moment; if it persists, check NCP's service status.");
    case 'network':
      return t('Could not reach NCP: check the network, the proxy, or the endpoint of this profile.');
    case 'timeout':
      return t('NCP did not answer in time: retry in a moment.');
    case 'cancelled':
      return t('Cancelled.');
    case 'contract':
      return t('NCP answered in a shape this version does not know, so nothing was written. Update the extension; if it persists, report it with the log.');
    case 'closed':
      return t('The extension sent this through a connection it had already closed: a bug, not your network. Refresh the view to retry; if it persists, report it with the log.');
  }
}

/** An error as one line: NCP's message and code, or the error's message. */
export function errorText(err: unknown): string {
  const ncp = asNcpError(err);
  return ncp ? `${ncp.message}${ncp.code ? ` (${ncp.code})` : ''}` : err instanceof Error ? err.message : String(err);
}
