#!/usr/bin/env bash
# buf breaking: the protos of the working tree must not break those of the previous commit of main
# (v1 is public). On main (as in CI) the previous commit is HEAD~1; on a branch it is the commit the
# branch left main at, so that a branch is judged by its own changes only. GUANCE_BREAKING_AGAINST
# names another commit. The base's protos are exported with `git archive`, which works in a
# worktree and in a shallow clone alike. Nothing to compare against (first commit, a shallow clone
# whose previous commit cannot be fetched, a base without protos/) is said plainly and skipped,
# never reported as a break.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { echo "buf breaking: $*"; }

if ! git rev-parse --git-dir >/dev/null 2>&1; then
  say "skipped: not a git checkout, so there is no previous commit to compare against"
  exit 0
fi

head=$(git rev-parse HEAD)
if [ -n "${GUANCE_BREAKING_AGAINST:-}" ]; then
  base_ref=$GUANCE_BREAKING_AGAINST
else
  main=$(git rev-parse -q --verify refs/heads/main || git rev-parse -q --verify refs/remotes/origin/main || true)
  if [ -n "$main" ] && [ "$main" != "$head" ] && fork=$(git merge-base HEAD "$main" 2>/dev/null) && [ "$fork" != "$head" ]; then
    base_ref=$fork
  else
    base_ref=HEAD~1
  fi
fi

if ! base=$(git rev-parse -q --verify "$base_ref^{commit}" 2>/dev/null); then
  if [ "$(git rev-parse --is-shallow-repository)" = "true" ]; then
    say "the clone is shallow; fetching one more commit of history"
    git fetch --quiet --deepen=1 2>/dev/null || true
  fi
  if ! base=$(git rev-parse -q --verify "$base_ref^{commit}" 2>/dev/null); then
    if [ -n "${GUANCE_BREAKING_AGAINST:-}" ]; then
      say "GUANCE_BREAKING_AGAINST=$GUANCE_BREAKING_AGAINST does not name a commit"
      exit 1
    elif [ "$(git rev-parse --is-shallow-repository)" = "true" ]; then
      say "skipped: this shallow clone lacks $base_ref and it could not be fetched (run 'git fetch --deepen=1' to check)"
    elif [ "$(git rev-list --count HEAD)" = "1" ]; then
      say "skipped: this is the first commit, there is no previous contract to break"
    else
      say "skipped: $base_ref does not name a commit here"
    fi
    exit 0
  fi
fi

if ! git cat-file -e "$base:buf.yaml" 2>/dev/null || ! git cat-file -e "$base:protos" 2>/dev/null; then
  say "skipped: $(git rev-parse --short "$base") has no buf.yaml and protos/ to compare against"
  exit 0
fi

against=$(mktemp -d)
trap 'rm -rf "$against"' EXIT
git archive "$base" buf.yaml protos | tar -x -C "$against"
say "protos/ of the working tree against $(git log -1 --format='%h (%s)' "$base")"
npx --no-install buf breaking --against "$against"
say "no breaking change"
