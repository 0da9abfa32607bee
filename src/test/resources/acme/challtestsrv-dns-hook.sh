#!/bin/sh
# A --dns-hook for tests: publishes dns-01 TXT records in pebble-challtestsrv's fake DNS.
# Called as: challtestsrv-dns-hook.sh MANAGEMENT_URL present|cleanup FQDN VALUE
set -eu
url=$1 action=$2 fqdn=$3 value=$4
case "$action" in
  present) body="{\"host\":\"$fqdn\",\"value\":\"$value\"}"; path=/set-txt ;;
  cleanup) body="{\"host\":\"$fqdn\"}"; path=/clear-txt ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
curl -sS --fail --max-time 10 -X POST -d "$body" "$url$path"
