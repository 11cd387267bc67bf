#!/bin/sh
# ops-mcp sandbox: simulated local accounts, so that the account tools can be tried without touching the
# machine's real users. Installed as getent, passwd, chage, faillock, lastlog and usermod in a directory put first
# on PATH for sandbox commands; the state is one file per user in $OPS_MCP_SANDBOX_ACCOUNTS (SandboxAccounts.java).
# Prints what shadow-utils 4.13 and Linux-PAM 1.5 print on Debian 12, for the options the tools use.
S="$OPS_MCP_SANDBOX_ACCOUNTS"
prog=${0##*/}

fail() {
  echo "$prog: $*" >&2
  exit 1
}

load() {
  case "$1" in
    '' | *[!a-z0-9_-]*) fail "invalid user name '$1'" ;;
  esac
  [ -f "$S/$1" ] || { echo "$prog: user '$1' does not exist" >&2; exit "${2:-1}"; }
  user=$1
  . "$S/$1"
}

save() {
  printf 'uid=%s\npw=%s\nchanged=%s\nexpire=%s\nfailures=%s\nfail_src=%s\nfail_time=%s\nlast_login=%s\nlast_from=%s\n' \
    "$uid" "$pw" "$changed" "$expire" "$failures" "$fail_src" "$fail_time" "$last_login" "$last_from" > "$S/$user.tmp"
  mv "$S/$user.tmp" "$S/$user"
}

day() {
  if [ "$1" = -1 ]; then echo never; else LC_ALL=C date -u -d "@$(($1 * 86400))" '+%b %d, %Y'; fi
}

case "$prog" in
getent)
  if [ "$1" = passwd ]; then
    [ "$2" = -- ] && shift
    [ -f "$S/$2" ] || exit 2
    load "$2"
    echo "$user:x:$uid:$uid:$user:/home/$user:/bin/bash"
    exit 0
  fi
  PATH=${PATH#*:} exec getent "$@"
  ;;
passwd)
  op=$1; shift
  [ "$1" = -- ] && shift
  load "$1"
  case "$op" in
    -S) echo "$user $pw $changed 0 99999 7 -1" ;;
    -l) pw=L; save; echo "passwd: password changed." ;;
    -u) pw=P; save; echo "passwd: password changed." ;;
    *) fail "unsupported option $op (sandbox)" ;;
  esac
  ;;
chage)
  case "$1" in
    -l)
      [ "$2" = -- ] && shift
      load "$2"
      printf 'Last password change\t\t\t\t\t: %s\n' "$(LC_ALL=C date -u -d "$changed" '+%b %d, %Y')"
      printf 'Password expires\t\t\t\t\t: never\nPassword inactive\t\t\t\t\t: never\n'
      printf 'Account expires\t\t\t\t\t\t: %s\n' "$(day "$expire")"
      printf 'Minimum number of days between password change\t\t: 0\n'
      printf 'Maximum number of days between password change\t\t: 99999\n'
      printf 'Number of days of warning before password expires\t: 7\n'
      ;;
    -E)
      days=$2; shift 2
      [ "$1" = -- ] && shift
      load "$1"
      expire=$days; save
      ;;
    *) fail "unsupported option $1 (sandbox)" ;;
  esac
  ;;
faillock)
  [ "$1" = --user ] || fail "unsupported option $1 (sandbox)"
  load "$2"
  if [ "$3" = --reset ]; then failures=0; save; exit 0; fi
  [ "$failures" -gt 0 ] || exit 0
  echo "$user:"
  printf '%-19s %-5s %-48s %s\n' When Type Source Valid
  i=0
  while [ "$i" -lt "$failures" ]; do
    printf '%-19s %-5s %-52s %s\n' "$fail_time" RHOST "$fail_src" V
    i=$((i + 1))
  done
  ;;
lastlog)
  [ "$1" = -u ] || fail "unsupported option $1 (sandbox)"
  load "$2"
  printf '%-16s %-8s %-42s %s\n' Username Port From Latest
  if [ -z "$last_login" ]; then
    printf '%-16s %-8s %-42s %s\n' "$user" '' '' '**Never logged in**'
  else
    printf '%-16s %-8s %-42s %s\n' "$user" pts/0 "$last_from" "$last_login"
  fi
  ;;
usermod)
  lock=; unlock=; exp=
  while [ $# -gt 0 ]; do
    case "$1" in
      -L) lock=1 ;;
      -U) unlock=1 ;;
      -e) shift; exp=$1 ;;
      --) shift; break ;;
      *) break ;;
    esac
    shift
  done
  load "$1" 6
  [ -n "$lock" ] && pw=L
  [ -n "$unlock" ] && pw=P
  [ -n "$exp" ] && expire=$exp
  save
  ;;
*)
  fail "not simulated"
  ;;
esac
