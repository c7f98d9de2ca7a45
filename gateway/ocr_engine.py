"""Tesseract kept warm in the process: one libtesseract engine per model, loaded at the first page this
process OCRs and reused for every later region, page and document (issue 16).

Tesseract used to run as a child process per region (`tesseract stdin stdout … tsv`): each run spent
~0.19 s of CPU loading the Vietnamese model before it read anything, plus the process start and the PNG
encoding of the image. Here the model is loaded once per evaluation worker (and once in `gateway check`),
and a region goes to Tesseract as raw greyscale bytes, through libtesseract's C API (`capi.h`, ctypes).

The library is the system's, the one the `tesseract` program uses (Debian's libtesseract5, 5.3), not the
5.5.4 bundled by the `tesserocr` wheel: measured with bench_reading.py against the program, 5.5.4 read 8
fields of 340 fewer on the real agency PDFs (its layout analysis drops whole lines — `Kính gửi:`, a
signer's title — and reads one en dash as `—-`) and 4 of 833 fewer on the rendered scans; the same
library reads exactly what the program read, for the same CPU saving.

Settings as the command line had them: one thread (`OMP_THREAD_LIMIT=1`, set before libtesseract and its
libgomp load), no inverted-text pass, the render resolution given as `user_defined_dpi`, the page
segmentation mode of each run. Each run is bounded by Tesseract's own deadline (an `ETEXT_DESC` monitor:
its layout analysis cannot be cancelled, so it may overrun a little); a run that never ends is bounded by
the evaluation pool's time limit, which kills the worker (`gateway.workers`).

No fallback to the `tesseract` program: it needs the same library. When the library or the models cannot
be loaded, the page is unread with that reason (`OcrError`), as a missing program was before.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image


class OcrError(RuntimeError):
    """Tesseract is missing, failed, or ran out of time; the message says which."""


# Where Debian, Fedora and a source build put the models; `TESSDATA_PREFIX` or `[reading] tessdata` wins.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


def tessdata_dir(language: str, configured: str = "") -> str:
    """The folder of Tesseract's models: `configured` when given, else `TESSDATA_PREFIX`, else the first
    usual folder holding the first model `language` names."""
    if configured:
        return configured
    env = os.environ.get("TESSDATA_PREFIX", "")
    if env:
        return env
    first = language.split("+")[0]
    for folder in TESSDATA_DIRS:
        if (Path(folder) / f"{first}.traineddata").is_file():
            return folder
    return TESSDATA_DIRS[0]


@dataclass
class Engine:
    """One loaded model: the `TessBaseAPI` handle, the lock that keeps one thread in it at a time, the
    process that loaded it (a forked child loads its own)."""

    handle: int
    lock: threading.Lock
    pid: int


_engines: dict[tuple[str, str], Engine] = {}
_engines_lock = threading.Lock()
_loads = 0
_lib: ctypes.CDLL | None = None


def loads() -> int:
    """How many times this process has loaded a Tesseract model."""
    return _loads


def _library() -> ctypes.CDLL:
    """libtesseract's C API (`capi.h`), loaded once; `OMP_THREAD_LIMIT=1` is set before it loads."""
    global _lib
    if _lib is not None:
        return _lib
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read by libgomp when it loads, with libtesseract, below
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise OcrError(f"libtesseract cannot be loaded ({name}): {exc}") from exc
    p, c, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for fn, res, args in (
        ("TessBaseAPICreate", p, []),
        ("TessBaseAPIInit3", i, [p, c, c]),
        ("TessBaseAPISetVariable", i, [p, c, c]),
        ("TessBaseAPISetPageSegMode", None, [p, i]),
        ("TessBaseAPISetImage", None, [p, c, i, i, i, i]),
        ("TessBaseAPISetSourceResolution", None, [p, i]),
        ("TessBaseAPIRecognize", i, [p, p]),
        ("TessBaseAPIGetTsvText", p, [p, i]),
        ("TessBaseAPIGetBoxText", p, [p, i]),
        ("TessDeleteText", None, [p]),
        ("TessBaseAPIClear", None, [p]),
        ("TessBaseAPIDelete", None, [p]),
        ("TessMonitorCreate", p, []),
        ("TessMonitorDelete", None, [p]),
        ("TessMonitorSetDeadlineMSecs", None, [p, i]),
    ):
        f = getattr(lib, fn)
        f.restype, f.argtypes = res, args
    _lib = lib
    return lib


def _end_all() -> None:
    """The engines this process loaded, ended at exit (libtesseract's model cache otherwise reports leaks)."""
    if _lib is None:
        return
    for key, warm in list(_engines.items()):
        if warm.pid == os.getpid():
            _lib.TessBaseAPIDelete(warm.handle)
            del _engines[key]


atexit.register(_end_all)


def engine(language: str, tessdata: str = "") -> Engine:
    """The warm engine for `language` from `tessdata` (see `tessdata_dir`), loaded at the first call."""
    global _loads
    folder = tessdata_dir(language, tessdata)
    key = (folder, language)
    with _engines_lock:
        found = _engines.get(key)
        if found is not None and found.pid == os.getpid():
            return found
        lib = _library()
        handle = lib.TessBaseAPICreate()
        if not handle:
            raise OcrError("libtesseract could not create an engine")
        if lib.TessBaseAPIInit3(handle, folder.encode(), language.encode()) != 0:
            lib.TessBaseAPIDelete(handle)
            raise OcrError(f"Tesseract model {language!r} not found or not loadable in {folder}")
        lib.TessBaseAPISetVariable(handle, b"tessedit_do_invert", b"0")
        lib.TessBaseAPISetVariable(handle, b"debug_file", os.devnull.encode())  # "Detected 220 diacritics"
        _loads += 1
        made = Engine(handle, threading.Lock(), os.getpid())
        _engines[key] = made  # an engine inherited over fork is left alone: its owner ends it
        return made


def recognize_tsv(
    image: Image.Image,
    *,
    language: str = "vie",
    tessdata: str = "",
    dpi: int = 200,
    psm: int = 3,
    timeout: float = 30.0,
) -> str:
    """Tesseract's TSV of `image` (greyscale): word rows with boxes, confidence and (block, par, line)."""
    return _recognize(
        image, "TessBaseAPIGetTsvText", language=language, tessdata=tessdata, dpi=dpi, psm=psm, timeout=timeout
    )


def recognize_boxes(
    image: Image.Image,
    *,
    language: str = "vie",
    tessdata: str = "",
    dpi: int = 200,
    psm: int = 7,
    timeout: float = 30.0,
) -> str:
    """Tesseract's box text of `image` (greyscale): a line per character, `char left bottom right top page`,
    y counted from the image's bottom edge."""
    return _recognize(
        image, "TessBaseAPIGetBoxText", language=language, tessdata=tessdata, dpi=dpi, psm=psm, timeout=timeout
    )


def _recognize(
    image: Image.Image, output: str, *, language: str, tessdata: str, dpi: int, psm: int, timeout: float
) -> str:
    gray = image if image.mode == "L" else image.convert("L")
    pixels = gray.tobytes()
    warm = engine(language, tessdata)
    lib = _library()
    with warm.lock:
        h = warm.handle
        monitor = lib.TessMonitorCreate()
        try:
            lib.TessBaseAPISetPageSegMode(h, psm)
            lib.TessBaseAPISetVariable(h, b"user_defined_dpi", str(dpi).encode())
            lib.TessBaseAPISetImage(h, pixels, gray.width, gray.height, 1, gray.width)
            lib.TessBaseAPISetSourceResolution(h, dpi)
            lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
            started = time.monotonic()
            if lib.TessBaseAPIRecognize(h, monitor) != 0:
                if time.monotonic() - started >= timeout:
                    raise OcrError(f"tesseract took longer than {timeout:g} s")
                raise OcrError("tesseract failed to recognise the image")
            text = getattr(lib, output)(h, 0)
            if not text:
                return ""
            try:
                return ctypes.string_at(text).decode("utf-8", "replace")
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(h)  # the image and its results; the model stays
