"""Text that a spreadsheet would run as a formula (OWASP's CSV injection cases), and its
near misses, which must come back exactly as they are."""

from __future__ import annotations

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://127.0.0.1/x";"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1;1)",
    '=IMPORTXML(CONCAT("http://127.0.0.1/?v=";A1);"//a")',
    "-2+3+cmd|' /C calc'!'E2'",
    "=",
    "+",
    "-",
    "@",
    "=1+1;=2+2",
]
NEAR_MISSES = [
    "'=1+1",  # already escaped once: must come back with its apostrophe
    "''=1+1",
    "'-",
    "'hello'",
    "l'=autre",
    "a=1+1",
    "-5",
    "5-3",
    "(=1)",
]
PAYLOADS = FORMULAS + NEAR_MISSES
