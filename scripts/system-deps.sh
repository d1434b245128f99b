#!/usr/bin/env bash
# Install the Debian packages the project uses, only those missing. Idempotent.
#   run  : LibreOffice (docx -> PDF), Noto CJK fonts, poppler-utils (pdftotext)
#   test : the above + Debian's chromium for the Playwright browser tests
set -euo pipefail
profile=${1:-run}
pkgs=(libreoffice-writer-nogui fonts-noto-cjk poppler-utils)
if [ "$profile" = "test" ]; then pkgs+=(chromium); fi
if [ "$profile" = "postgres" ]; then pkgs=(postgresql); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
