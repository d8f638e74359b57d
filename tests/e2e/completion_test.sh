#!/bin/bash
# Every option a subcommand's --help lists is offered by the bash
# completion (completions/tim.bash). Usage: completion_test.sh TIM FILE
set -euo pipefail
tim=$1
# What bash-completion would provide, reduced to what _tim uses.
_init_completion() {
  words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
  cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
}
_filedir() { :; }
# shellcheck source=/dev/null
source "$2"

offered() {
  COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
  _tim
  echo " ${COMPREPLY[*]} "
}

status=0
check() {  # check "HELP TEXT" WORDS... : each option of the help is offered
  local help=$1 list option
  shift
  list=$(offered "$@")
  for option in $(grep -o -- ' --[a-z0-9-]*' <<<"$help" | sort -u); do
    if [[ "$list" != *" $option "* ]]; then
      echo "completion of '$*' lacks $option" >&2
      status=1
    fi
  done
}
check "$("$tim" --help)" tim --
for command in $(offered tim ''); do
  [[ "$command" == -* ]] && continue
  check "$("$tim" "$command" --help)" tim "$command" --
done
exit $status
