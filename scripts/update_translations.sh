#!/usr/bin/env bash
# Collect the message ids, fill Swedish from scripts/sv*.json, compile. Needs gettext.
# The .po file is generated afresh each time: the Swedish lives in scripts/sv*.json,
# so no fuzzy match from an old file can slip a wrong translation in.
set -euo pipefail
cd "$(dirname "$0")/../painrehab"
rm -f locale/sv/LC_MESSAGES/django.po
../.venv/bin/python ../manage.py makemessages -l sv --no-location --no-wrap --no-obsolete >/dev/null
../.venv/bin/python ../scripts/fill_translations.py
../.venv/bin/python ../manage.py compilemessages -l sv >/dev/null
