#!/bin/sh
# dunst's "dmenu" for the e2e test: dunst pipes the actions of the notifications on screen to
# it, one per line ("#Refresh (PoolPass could not refresh credentials) [ID,refresh]"), and
# invokes the line it prints back. This one keeps what it was offered in FILE (for the test to
# read) and picks the "Refresh" of PoolPass's failure notification, as a user clicking it would.
# Usage (in dunstrc): dmenu = dunst-menu.sh FILE
offered=$(cat)
printf '%s\n' "$offered" >> "$1"
printf '%s\n' "$offered" | grep -m 1 '^#Refresh (PoolPass could not refresh credentials)'
exit 0
