// `ncloud-pki completion bash|zsh`: completion scripts generated from the command table, so they
// never drift from what the parser accepts.
import type { CommandSpec, OptionSpec } from './spec';

interface Entry {
  /** Command path joined by spaces; '' for the program itself. */
  key: string;
  words: string[];
  options: [string, OptionSpec][];
  /** Positionals are files (inspect FILE...). */
  files: boolean;
}

function entries(node: CommandSpec, common: Record<string, OptionSpec>, key = ''): Entry[] {
  const options = Object.entries({ ...node.options, ...common }).concat(key === '' ? [['version', { type: 'boolean', help: '' }]] : []);
  const own: Entry = { key, words: Object.keys(node.subcommands ?? {}), options, files: (node.args ?? []).some((a) => a.startsWith('FILE')) };
  if (key === 'completion') {
    own.words = ['bash', 'zsh'];
  }
  if (key === 'help') {
    own.words = [];
  }
  return [own, ...Object.entries(node.subcommands ?? {}).flatMap(([k, c]) => entries(c, common, key ? `${key} ${k}` : k))];
}

const q = (s: string) => `'${s}'`;

export function completion(shell: 'bash' | 'zsh', prog: string, cli: CommandSpec, common: Record<string, OptionSpec>): string {
  const all = entries(cli, common);
  const paths = all.filter((e) => e.key).map((e) => `${q(e.key)}`).join('|');
  const fn = `_${prog.replace(/-/g, '_')}`;
  const valueCases = (e: Entry, files: string, dirs: string, list: (w: string[]) => string) =>
    e.options
      .filter(([, o]) => o.type === 'string')
      .map(([n, o]) => `      --${n}) ${o.complete === 'file' ? files : o.complete === 'dir' ? dirs : Array.isArray(o.complete) ? list(o.complete as string[]) : 'return 0'};;`)
      .join('\n');
  if (shell === 'bash') {
    const cases = all
      .map((e) => {
        const values = valueCases(e, 'COMPREPLY=($(compgen -f -- "$cur")); return 0', 'COMPREPLY=($(compgen -d -- "$cur")); return 0', (w) => `COMPREPLY=($(compgen -W ${q(w.join(' '))} -- "$cur")); return 0`);
        return `  ${q(e.key)})\n    case "$prev" in\n${values}\n    esac\n    words=${q(e.words.join(' '))}; opts=${q(e.options.map(([n]) => `--${n}`).join(' '))}; files=${e.files ? 1 : 0};;`;
      })
      .join('\n');
    return `# bash completion for ${prog}: source <(${prog} completion bash)
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" key="" i w next words opts files
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    next="$key\${key:+ }$w"
    case "$next" in
      ${paths}) key="$next";;
    esac
  done
  case "$key" in
${cases}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n $words ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  elif [[ $files == 1 ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  return 0
}
complete -o filenames -F ${fn} ${prog}
`;
  }
  const cases = all
    .map((e) => {
      const values = valueCases(e, '_files; return', '_files -/; return', (w) => `compadd -- ${w.join(' ')}; return`);
      return `    (${q(e.key)})\n      case $prev in\n${values.replace(/^ {6}--(\S+)\)/gm, '      (--$1)')}\n      esac\n      cmds=(${e.words.join(' ')}); opts=(${e.options.map(([n]) => `--${n}`).join(' ')}); files=${e.files ? 1 : 0};;`;
    })
    .join('\n');
  return `#compdef ${prog}
# zsh completion for ${prog}: source <(${prog} completion zsh) after compinit
${fn}() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} key="" w next i files=0
  local -a cmds opts
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    [[ $w == -* ]] && continue
    next="$key\${key:+ }$w"
    case $next in
      (${paths}) key=$next;;
    esac
  done
  case $key in
${cases}
  esac
  if [[ $cur == -* ]]; then
    compadd -- $opts
  elif (( \${#cmds} )); then
    compadd -- $cmds
  elif (( files )); then
    _files
  fi
}
compdef ${fn} ${prog}
`;
}
