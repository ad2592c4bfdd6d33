"""Debian's Chromium, launched the same way by the browser tests and scripts/screenshots.py."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container: no sandbox or GPU, a small /dev/shm, and nothing calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
