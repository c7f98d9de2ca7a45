"""Tesseract kept warm in the process: one `tesserocr.PyTessBaseAPI` per model, loaded at the first page
this process OCRs and reused for every later region, page and document (issue 16).

Tesseract used to run as a child process per region (`tesseract stdin stdout … tsv`): each run spent
~0.19 s of CPU loading the Vietnamese model before it read anything, plus the process start and the PNG
encoding of the image. Here the model is loaded once per evaluation worker (and once in `gateway check`),
and a region goes to Tesseract as raw greyscale bytes.

Settings as the command line had them: one thread (`OMP_THREAD_LIMIT=1`, set before libtesseract loads;
the tesserocr wheel's libtesseract is built without OpenMP anyway), no inverted-text pass, the render
resolution given as `user_defined_dpi`, the page segmentation mode of each run. Each run is bounded by
Tesseract's own deadline (`Recognize(timeout)`: its layout analysis cannot be cancelled, so it may
overrun a little); a run that never ends is bounded by the evaluation pool's time limit, which kills the
worker (`gateway.workers`).

No fallback to the `tesseract` program: the wheel (a pinned dependency) bundles libtesseract, and two
engines of different versions would read the same scan differently depending on what is installed. When
the models cannot be found or loaded, the page is unread with that reason (`OcrError`), as a missing
program was before.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    """One loaded model: the API object, the lock that keeps one thread in it at a time, the process
    that loaded it (a forked child loads its own)."""

    api: Any  # tesserocr.PyTessBaseAPI (the package ships no type information)
    lock: threading.Lock
    pid: int


_engines: dict[tuple[str, str], Engine] = {}
_engines_lock = threading.Lock()
_loads = 0


def loads() -> int:
    """How many times this process has loaded a Tesseract model."""
    return _loads


def _tesserocr() -> Any:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read when libtesseract loads, i.e. at the first import below
    try:
        import tesserocr  # type: ignore[import-untyped]
    except ImportError as exc:  # the wheel missing, or a library it needs
        raise OcrError(f"tesserocr cannot be loaded: {exc}") from exc
    return tesserocr


def engine(language: str, tessdata: str = "") -> Engine:
    """The warm engine for `language` from `tessdata` (see `tessdata_dir`), loaded at the first call."""
    global _loads
    folder = tessdata_dir(language, tessdata)
    key = (folder, language)
    with _engines_lock:
        found = _engines.get(key)
        if found is not None and found.pid == os.getpid():
            return found
        tesserocr = _tesserocr()
        try:
            api = tesserocr.PyTessBaseAPI(
                path=folder.rstrip("/") + "/",
                lang=language,
                variables={"tessedit_do_invert": "0"},
            )
        except RuntimeError as exc:
            raise OcrError(f"Tesseract model {language!r} not found or not loadable in {folder}") from exc
        _loads += 1
        made = Engine(api, threading.Lock(), os.getpid())
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
    gray = image if image.mode == "L" else image.convert("L")
    warm = engine(language, tessdata)
    with warm.lock:
        api = warm.api
        try:
            api.SetPageSegMode(psm)
            api.SetVariable("user_defined_dpi", str(dpi))
            api.SetImageBytes(gray.tobytes(), gray.width, gray.height, 1, gray.width)
            api.SetSourceResolution(dpi)
            started = time.monotonic()
            if not api.Recognize(max(1, int(timeout * 1000))):
                if time.monotonic() - started >= timeout:
                    raise OcrError(f"tesseract took longer than {timeout:g} s")
                raise OcrError("tesseract failed to recognise the image")
            return str(api.GetTSVText(0))
        except OcrError:
            raise
        except RuntimeError as exc:
            raise OcrError(f"tesseract failed: {exc}") from exc
        finally:
            api.Clear()  # the image and its results; the model stays
