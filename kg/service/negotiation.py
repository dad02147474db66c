"""Choosing a response media type from the ``Accept`` header (RFC 9110 quality values)."""
from __future__ import annotations

from fastapi import HTTPException


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``"text/turtle;q=0.9, */*;q=0.1"`` -> [("text/turtle", 0.9), ("*/*", 0.1)], best first."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((fields[0].lower(), quality, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, quality) for media, quality, _ in ranges if quality > 0]


def choose(accept: str | None, available: list[str], aliases: dict[str, str] | None = None) -> str:
    """The best of ``available`` (first is the default) for ``accept``; 406 names what is offered."""
    ranges = parse_accept(accept)
    if not ranges:
        return available[0]
    aliases = aliases or {}
    for media, _ in ranges:
        media = aliases.get(media, media)
        if media in available:
            return media
        if media == "*/*":
            return available[0]
        if media.endswith("/*"):
            for option in available:
                if option.startswith(media[:-1]):
                    return option
    raise HTTPException(406, f"cannot produce {accept!r}; available: {', '.join(available)}")
