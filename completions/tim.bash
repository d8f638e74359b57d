# bash completion for tim (installed as
# share/bash-completion/completions/tim). Keep the option lists in step
# with src/cli/main.cc (tests/e2e/completion_test.sh checks them against
# each subcommand's --help).
_tim() {
  local cur prev words cword
  _init_completion || return
  local commands="ingest delete search export similar stats show serve"
  local search_options="--db --json --limit --offset --source --filter --from \
--to --facets --inferred-dates --facet-limit --sort --match --recency --recency-weight \
--no-suggest --bm25-k1 --bm25-b --color --help"
  local command="" word
  for word in "${words[@]:1:cword-1}"; do
    case " $commands " in *" $word "*) command=$word; break ;; esac
  done
  case "$prev" in
    --db) _filedir -d; return ;;
    --color) mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur"); return ;;
    --format) mapfile -t COMPREPLY < <(compgen -W "jsonl csv" -- "$cur"); return ;;
    --sort) mapfile -t COMPREPLY < <(compgen -W "relevance date -date" -- "$cur"); return ;;
    --match) mapfile -t COMPREPLY < <(compgen -W "auto all any" -- "$cur"); return ;;
    --invalid-utf8) mapfile -t COMPREPLY < <(compgen -W "error skip repair" -- "$cur"); return ;;
    --batch) _filedir; return ;;
  esac
  local options
  case "$command" in
    "") options="$commands --version --color --help" ;;
    ingest) options="--db --source --skip-bad --invalid-utf8 --dedupe --commit-every --jobs --changesets --shards --json --color --help" ;;
    delete) options="--db --missing-ok --json --color --help" ;;
    search) options="$search_options --strict --batch" ;;
    export) options="--db --source --filter --from --to --inferred-dates --strict --format --fields --bom --color --help" ;;
    similar) options="$search_options" ;;
    stats | show) options="--db --json --color --help" ;;
    serve) options="--db --host --port --threads --allow-writes --quiet --timeout --idle-timeout --color --help" ;;
  esac
  if [[ -z "$command" || "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
  elif [[ "$command" == ingest ]]; then
    _filedir
  fi
}
complete -F _tim tim
