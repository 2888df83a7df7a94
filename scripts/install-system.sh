#!/usr/bin/env bash
# Install the system packages Manim needs, but only the ones that are missing.
# Usage: install-system.sh [--test]   (--test also installs the browser the tests use)
# On Debian/Ubuntu as root it installs them; anywhere else it prints what to install by hand.
set -euo pipefail

# Debian package -> why we need it. Kept in one list so the check and the install agree.
PACKAGES=(
  build-essential            # pycairo and manimpango compile C extensions
  pkg-config                 # ... and find cairo/pango through it
  libcairo2-dev              # cairo: Manim's 2D renderer
  libpango1.0-dev            # pango: Manim's Text
  ffmpeg                     # video encoding
  texlive-latex-base         # latex, for MathTex
  texlive-latex-recommended
  texlive-latex-extra        # standalone/preview classes used by Manim's TeX template
  texlive-fonts-recommended
  dvisvgm                    # TeX -> SVG
)
# `--test` adds what only the tests need.
if [ "${1:-}" = "--test" ]; then
  PACKAGES+=(chromium)       # headless browser: the gallery test loads renders/index.html
  PACKAGES+=(libreoffice-impress poppler-utils)  # the deck test opens lecture.pptx, as a PDF
fi

missing_debian() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      echo "$pkg"
    fi
  done
  # A system Python needs its headers and venv module; pyenv/conda Pythons ship both.
  if ! python3 -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
    echo python3-dev
  fi
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    echo python3-venv
  fi
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  mapfile -t missing < <(missing_debian)
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "system packages: all present"
    exit 0
  fi
  echo "system packages missing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Not root, so not installing. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  echo "system packages: installed ${missing[*]}"
  exit 0
fi

# Not Debian: check by capability and say what to install.
problems=()
command -v ffmpeg >/dev/null 2>&1 || problems+=("ffmpeg")
command -v latex >/dev/null 2>&1 || problems+=("latex")
command -v dvisvgm >/dev/null 2>&1 || problems+=("dvisvgm")
pkg-config --exists cairo pangocairo 2>/dev/null || problems+=("cairo/pango development files")
if [ "${#problems[@]}" -eq 0 ]; then
  echo "system tools: all present"
  exit 0
fi
cat >&2 <<MSG
Missing: ${problems[*]}
This is not a Debian/Ubuntu machine, so nothing was installed. Install by hand:
  macOS (Homebrew): brew install cairo pango pkg-config ffmpeg && brew install --cask basictex
                    then: sudo tlmgr update --self && sudo tlmgr install standalone preview doublestroke dvisvgm
  Fedora:           sudo dnf install cairo-devel pango-devel pkgconf ffmpeg texlive-scheme-basic texlive-standalone texlive-preview texlive-dvisvgm
Then run the make target again.
MSG
exit 1
