"""Fill empty Swedish msgstr entries of the .po file from a JSON glossary.

Usage: .venv/bin/python scripts/fill_translations.py
Runs makemessages beforehand is the caller's job; entries already translated in
the .po file are kept. New strings go into scripts/sv.json or scripts/sv_<app>.json (English -> Swedish).
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "painrehab/locale/sv/LC_MESSAGES/django.po"
GLOSSARY: dict[str, str] = {}
CONFLICTS: list[str] = []
for part in sorted(Path(__file__).parent.glob("sv*.json")):  # sv.json, sv_<app>.json …
    for english, swedish in json.loads(part.read_text(encoding="utf-8")).items():
        if GLOSSARY.get(english, swedish) != swedish:
            CONFLICTS.append(
                f"{english!r}: {GLOSSARY[english]!r} / {swedish!r} ({part.name})"
            )
        GLOSSARY[english] = swedish


def unquote(s: str) -> str:
    return json.loads(s)


def main() -> int:
    lines = PO.read_text(encoding="utf-8").splitlines()
    out, missing = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        m = re.match(r'^msgid (".*")$', line)
        plural = (
            re.match(r'^msgid_plural (".*")$', lines[i + 1])
            if m and i + 1 < len(lines)
            else None
        )
        if plural and lines[i + 2 : i + 4] == ['msgstr[0] ""', 'msgstr[1] ""']:
            singular, many = unquote(m.group(1)), unquote(plural.group(1))
            out.append(lines[i + 1])
            if singular in GLOSSARY and many in GLOSSARY:
                out.append(
                    "msgstr[0] " + json.dumps(GLOSSARY[singular], ensure_ascii=False)
                )
                out.append(
                    "msgstr[1] " + json.dumps(GLOSSARY[many], ensure_ascii=False)
                )
            else:
                out.extend(lines[i + 2 : i + 4])
                missing.append(singular)
            i += 4
            continue
        if m and i + 1 < len(lines) and lines[i + 1] == 'msgstr ""':
            msgid = unquote(m.group(1))
            if msgid:
                if msgid in GLOSSARY:
                    out.append(
                        "msgstr " + json.dumps(GLOSSARY[msgid], ensure_ascii=False)
                    )
                    i += 2
                    continue
                missing.append(msgid)
        i += 1
    text = "\n".join(out) + "\n"
    text = re.sub(r"\n#, fuzzy\n", "\n", text, count=1)
    text = text.replace(
        '"Content-Type: text/plain; charset=CHARSET\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
    )
    text = text.replace('"Language: \\n"', '"Language: sv\\n"')
    PO.write_text(text, encoding="utf-8")
    for msgid in missing:
        print("untranslated:", msgid)
    for conflict in CONFLICTS:
        print("two translations:", conflict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
