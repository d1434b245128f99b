"""Metadata out of an MP4 / MOV video (ISO base media file format, QuickTime), in place.

A phone's video carries where and with what it was shot: ``moov/udta`` (QuickTime ``©xyz`` position
"+39.1466+117.1953/", ``©mak``/``©mod`` make and model, ``©day``, ``©swr``), ``moov/meta`` (the
iPhone's ``com.apple.quicktime.location.ISO6709``, ``…make``, ``…model``), ``uuid`` boxes (XMP,
camera makers' blocks) and the creation / modification times of ``mvhd``, ``tkhd`` and ``mdhd``.
For a tip from the public these could identify the reporter (RULES.md §1 identity protection).

``strip`` walks the box tree (file → ``moov`` → ``trak`` → ``mdia``) and:

* turns every ``udta``, ``meta``, ``uuid`` and ``prft`` box it meets into a ``free`` box of the same
  size with a zeroed payload, and zeroes the payload of the ``free``/``skip`` boxes already there
  (a recorder may leave an old header in one);
* sets the creation and modification times of ``mvhd``, ``tkhd`` and ``mdhd`` to 0.

No byte moves: every box keeps its size and place, so the chunk offsets (``stco``/``co64``) into
``mdat`` stay valid and the file plays as before. ``check`` walks the same tree without changing
anything. A file whose boxes do not add up (a size past its parent's end, a truncated header, no
``moov`` or no ``mdat``, a compressed ``cmov`` header whose content cannot be looked at) raises
``Malformed``; the upload policy answers it as a damaged file.

Not covered: timed-metadata tracks (a GoPro ``gpmd`` or ``camm`` track keeps its GPS samples in
``mdat``) — those are media samples, not header boxes.
"""

#: descended into (the levels where udta / meta / uuid and the time-stamped headers live)
CONTAINERS = frozenset({b"moov", b"trak", b"mdia"})
#: replaced by a zeroed free box of the same size
DROP = frozenset({b"udta", b"meta", b"uuid", b"prft"})
#: kept as padding, payload zeroed
PADDING = frozenset({b"free", b"skip"})
#: full boxes whose first fields after version/flags are creation_time and modification_time
TIMED = frozenset({b"mvhd", b"tkhd", b"mdhd"})


class Malformed(ValueError):
    """The file is not a complete, well-formed MP4 / MOV."""


def _boxes(data, start: int, end: int, top: bool):
    """(position, header length, size, type) of each box in data[start:end]."""
    pos = start
    while pos < end:
        if end - pos < 8:
            raise Malformed("truncated box header")
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = bytes(data[pos + 4:pos + 8])
        header = 8
        if size == 1:  # 64-bit largesize follows the type
            if end - pos < 16:
                raise Malformed("truncated largesize")
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
            header = 16
        elif size == 0:  # "to the end of the file": only the last top-level box
            if not top:
                raise Malformed("size 0 inside a container")
            size = end - pos
        if size < header or size > end - pos:
            raise Malformed(f"box {kind!r} overruns its parent")
        yield pos, header, size, kind
        pos += size


def _zero_times(data: bytearray, body: int, end: int, clean: bool) -> None:
    if end - body < 4:
        raise Malformed("truncated full box")
    width = 8 if data[body] == 1 else 4
    if end - body < 4 + 2 * width:
        raise Malformed("truncated time fields")
    if clean:
        data[body + 4:body + 4 + 2 * width] = bytes(2 * width)


def _walk(data: bytearray, start: int, end: int, top: bool, clean: bool, seen: set) -> None:
    for pos, header, size, kind in _boxes(data, start, end, top):
        body, stop = pos + header, pos + size
        if top:
            seen.add(kind)
        if kind == b"cmov":
            raise Malformed("compressed movie header")
        if kind in DROP:
            if clean:
                data[pos + 4:pos + 8] = b"free"
                data[body:stop] = bytes(stop - body)
        elif kind in PADDING:
            if clean:
                data[body:stop] = bytes(stop - body)
        elif kind in TIMED:
            _zero_times(data, body, stop, clean)
        elif kind in CONTAINERS:
            _walk(data, body, stop, False, clean, seen)


def _run(data: bytes, clean: bool) -> bytes:
    buf = bytearray(data)
    if len(buf) < 8 or buf[4:8] != b"ftyp":
        raise Malformed("no ftyp box first")
    seen: set = set()
    _walk(buf, 0, len(buf), True, clean, seen)
    if b"moov" not in seen or b"mdat" not in seen:
        raise Malformed("no moov or no mdat")
    return bytes(buf)


def strip(data: bytes) -> bytes:
    """``data`` without its metadata boxes and header times (same length, same offsets)."""
    return _run(data, True)


def check(data: bytes) -> None:
    """Raise ``Malformed`` unless ``data`` walks as a complete MP4 / MOV."""
    _run(data, False)
