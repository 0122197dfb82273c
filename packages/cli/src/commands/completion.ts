import type { Command } from '@commander-js/extra-typings';
import type { GlobalCommand } from './index.js';

/** Every command path with its subcommands and options, walked from the fully registered program. */
function tree(
  command: Command<unknown[], Record<string, unknown>>,
  prefix: string,
  out: Map<string, string[]>,
): void {
  const words = [
    ...command.commands.map((c) => c.name()),
    ...command.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x))),
  ];
  out.set(prefix, words);
  for (const child of command.commands)
    tree(
      child as unknown as Command<unknown[], Record<string, unknown>>,
      prefix ? `${prefix} ${child.name()}` : child.name(),
      out,
    );
}

export function register(program: GlobalCommand): void {
  program
    .command('completion')
    .description(
      'print a completion script: eval "$(strata completion bash)" or strata completion zsh > ~/.zfunc/_strata',
    )
    .argument('[shell]', 'bash or zsh', 'bash')
    .action(async (shell) => {
      const paths = new Map<string, string[]>();
      tree(program as unknown as Command<unknown[], Record<string, unknown>>, '', paths);
      const cases = [...paths]
        .map(([path, words]) => `    "${path}") words="${words.join(' ')}"; break ;;`)
        .join('\n');
      const body = `_strata_words() {
  local path="" w
  for w in "$@"; do case "$w" in -*) ;; *) if [ -n "$path" ]; then path="$path $w"; else path="$w"; fi ;; esac; done
  while true; do
    case "$path" in
${cases}
    *) if [ -z "$path" ]; then words=""; break; fi
       case "$path" in *" "*) path="\${path% *}" ;; *) path="" ;; esac ;;
    esac
  done
  echo "$words"
}`;
      if (shell === 'zsh') {
        process.stdout.write(
          `#compdef strata\n${body}\n_strata() {\n  local -a ws\n  ws=(\${=$(_strata_words "\${(@)words[2,CURRENT-1]}")})\n  compadd -- $ws\n}\ncompdef _strata strata\n`,
        );
      } else if (shell === 'bash') {
        process.stdout.write(
          `${body}\n_strata() {\n  local cur="\${COMP_WORDS[COMP_CWORD]}"\n  COMPREPLY=( $(compgen -W "$(_strata_words "\${COMP_WORDS[@]:1:COMP_CWORD-1}")" -- "$cur") )\n}\ncomplete -F _strata strata\n`,
        );
      } else {
        const { StrataError } = await import('@strata/core');
        throw new StrataError(`unknown shell "${shell}"`, {
          code: 'invalid_shell',
          field: 'shell',
          value: shell,
          fix: 'use bash or zsh',
        });
      }
    });
}
