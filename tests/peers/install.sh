#!/usr/bin/env bash
# Installs what the tests and the demo need, and only what is missing: Debian packages, the
# Node packages of the peers, and a Python venv with moto and botocore. Safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Build deps (keyring's Secret Service client links libdbus), the session bus and GNOME
# Keyring for a real Secret Service, Chromium as the user's browser, Python for moto.
packages=(pkg-config libdbus-1-dev dbus gnome-keyring chromium python3 python3-venv)
# The desktop app (Tauri 2): WebKitGTK and GTK to build it, Xvfb and a session bus to run
# its window headless, WebKitWebDriver (webkit2gtk-driver) to drive it in the end-to-end test,
# xdotool for X input where WebDriver does not reach (the system file chooser, a drag and
# drop, the desktop benchmark's keys), and GTK for Debian's Python: the e2e test's drag source
# (tests/e2e/drag-source.py) is a small GTK window, as a file manager is.
packages+=(build-essential libwebkit2gtk-4.1-dev libgtk-3-dev
  librsvg2-dev libssl-dev xvfb webkit2gtk-driver dbus-x11 xdotool python3-gi gir1.2-gtk-3.0)
# dunst: a real notification service in the e2e test's display, whose history the test reads;
# a Japanese font, so the e2e test's Japanese screen is text and not boxes.
packages+=(dunst fonts-ipafont-gothic)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3 may come from elsewhere (pyenv); only ask apt for it when there is none.
if command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' 2>/dev/null; then
  kept=()
  for p in "${missing[@]}"; do
    case "$p" in python3 | python3-venv) ;; *) kept+=("$p") ;; esac
  done
  missing=("${kept[@]}")
fi
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null 2>&1 || { echo "Rust (cargo) is needed: install it with rustup, then run this again." >&2; exit 1; }

# The desktop end-to-end test: tauri-driver (WebDriver for Tauri apps) in front of
# WebKitGTK's own driver.
command -v WebKitWebDriver >/dev/null 2>&1 || { echo "WebKitWebDriver is missing although webkit2gtk-driver was installed." >&2; exit 1; }
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "Installing tauri-driver 2.1.0 (cargo install, about 2 minutes)"
  cargo install tauri-driver --version 2.1.0 --locked --quiet
fi

if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "Installing the peers' Node packages"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

ui="$here/../../ui"
if [ ! -f "$ui/node_modules/.package-lock.json" ] || [ "$ui/package-lock.json" -nt "$ui/node_modules/.package-lock.json" ]; then
  echo "Installing the desktop front end's Node packages"
  # Not `npm ci`: npm here writes only this platform's optional packages (rollup's, tauri-cli's)
  # into the lock, then `npm ci` rejects that very lock. `--no-save` installs from it as is.
  (cd "$ui" && npm install --no-save --no-audit --no-fund --loglevel=error)
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/moto_server" ] || [ "$here/requirements.txt" -nt "$venv/.installed" ]; then
  echo "Creating the peers' Python venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  touch "$venv/.installed"
fi
