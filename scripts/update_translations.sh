#!/usr/bin/env bash
# Collect the message ids, fill Swedish from scripts/sv*.json, compile. Needs gettext.
set -euo pipefail
cd "$(dirname "$0")/../painrehab"
../.venv/bin/python ../manage.py makemessages -l sv --no-location --no-wrap --no-obsolete >/dev/null
../.venv/bin/python ../scripts/fill_translations.py
../.venv/bin/python ../manage.py compilemessages -l sv >/dev/null
